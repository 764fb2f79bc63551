/// A proposed shipment, as read from an order file (contract §6).
///
/// Absent fields are nil. Copies share their fields (`SharedFields`).
@dynamicMemberLookup
public struct OrderLine: Sendable {
    /// The line's fields, read and written as its own (`line.id`).
    public struct Values: Sendable {
        public var id: String?
        public var supplier: String?
        public var customer: String?
        public var endUser: String?
        public var destination: String?
        public var endUse: String?
        public var date: Day?
        public var quantity: Quantity?
        public var value: Money?
        public var hsCode: String?
        public var product: String?
        /// Element to percent; nil when the line gives no composition (the catalogue's then counts).
        public var composition: [String: Percentage]?
        /// Attributes given on the line; they override the catalogue's one by one.
        // Made by `init()`, not the literal `[:]`: that was a call on every line (callgrind).
        public var attributes = [String: String]()
    }

    public init(
        id: String? = nil, supplier: String? = nil, customer: String? = nil, endUser: String? = nil,
        destination: String? = nil, endUse: String? = nil, date: Day? = nil, quantity: Quantity? = nil,
        value: Money? = nil, hsCode: String? = nil, product: String? = nil,
        composition: [String: Percentage]? = nil, attributes: [String: String] = [:]
    ) {
        fields = SharedFields(
            Values(
                id: id, supplier: supplier, customer: customer, endUser: endUser, destination: destination, endUse: endUse, date: date,
                quantity: quantity, value: value, hsCode: hsCode, product: product, composition: composition, attributes: attributes))
    }

    /// A line of the given fields, as the order field parser builds them.
    init(_ values: Values) { fields = SharedFields(values) }

    private var fields: SharedFields<Values>

    /// Runs `body` with the line's fields borrowed in place (`SharedFields.withValues`).
    func withValues<Result>(_ body: (borrowing Values) -> Result) -> Result { fields.withValues(body) }

    /// A field of the line, read from or written into its shared fields.
    public subscript<Value>(dynamicMember field: WritableKeyPath<Values, Value>) -> Value {
        get { fields.values[keyPath: field] }
        set { fields.change { $0[keyPath: field] = newValue } }
    }
}

/// One record of an order file: the line it starts on and either a readable order line or the
/// problems that made it unreadable.
public struct OrderRecord: Sendable {
    /// The path as given on the command line (`-` for standard input).
    public var file: String
    /// The 1-based physical line (CSV, JSON Lines) or the 1-based array index (JSON, YAML).
    public var line: Int
    /// The line's `id`, when it could be read, even if other fields could not.
    public var id: String?
    /// The parsed line; nil when the record could not be read at all.
    public var order: OrderLine?
    /// What could not be read; empty for a good line.
    public var problems: [InputProblem]
    /// Where the record stands in its file and what it said, for reports that echo or point at it.
    public var origin: RecordOrigin
}

// The public initializer delegates to the synthesized memberwise one, which the readers call
// themselves (with every `origin`). An initializer written in the type's body builds `self` on
// the stack and copies it out: a retain and a release of each part of the record every time one
// is made (Swift 6.3, -O; about 300 instructions a W1 line). Types of one shared part
// (`SharedFields`) lose nothing by it.
extension OrderRecord {
    public init(file: String, line: Int, id: String?, order: OrderLine?, problems: [InputProblem], origin: RecordOrigin? = nil) {
        self.init(file: file, line: line, id: id, order: order, problems: problems, origin: origin ?? RecordOrigin(line: line))
    }
}

/// A record's place in its file and its cells as written.
public struct RecordOrigin: Sendable {
    /// One field as written in the file, and where its value starts.
    public struct Cell: Sendable, Equatable {
        public var name: String
        public var value: String
        public var position: Position?

        public init(name: String, value: String, position: Position? = nil) {
            self.name = name
            self.value = value
            self.position = position
        }
    }

    /// A 1-based line and column in the order file.
    public struct Position: Sendable, Equatable {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    /// The physical line the record starts on (for JSON and YAML too, where `line` is an index).
    public var line: Int
    /// The fields in file order, unknown ones included, as text.
    public var cells: [Cell]

    public init(line: Int, cells: [Cell] = []) {
        self.line = line
        self.cells = cells
    }

    /// Where the (last) field called `name` starts.
    public func position(of name: String) -> Position? {
        cells.last { $0.name == name && $0.position != nil }?.position
    }

    /// Where each field's value starts, by field name.
    public var positions: [String: Position] {
        var positions: [String: Position] = [:]
        for cell in cells { if let position = cell.position { positions[cell.name] = position } }
        return positions
    }
}

/// Something wrong with one record of an order file; it becomes an `input-error` reason.
public struct InputProblem: Hashable, Sendable, CustomStringConvertible {
    /// The field concerned, when one is.
    public var field: String?
    /// 1-based column in the file, when known.
    public var column: Int?
    public var message: String

    public init(field: String?, column: Int? = nil, message: String) {
        self.field = field
        self.column = column
        self.message = message
    }

    public var description: String { message }
}
