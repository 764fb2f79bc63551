/// The fields of a value type, shared by all its copies: copying the value retains one object
/// instead of each of its strings, sets and arrays.
///
/// The fields never change in place: changing one makes a new set, so copies never see each
/// other's changes and no uniqueness check is needed. For values that are copied far more often
/// than changed: order lines, licences and categories are copied several times for each line
/// checked, and those copies were 5 % of the instructions per W1 line.
struct SharedFields<Values: Sendable>: Sendable {
    private final class Box: Sendable {
        let values: Values
        init(_ values: Values) { self.values = values }
    }

    private var box: Box

    init(_ values: Values) { box = Box(values) }

    /// The fields (a field read through this is not copied with the others).
    var values: Values { box.values }

    /// Runs `body` with the fields borrowed in place: fields read from `values` one by one are
    /// each a copy (a retain of a text, and of the box while it is read).
    func withValues<Result>(_ body: (borrowing Values) -> Result) -> Result { body(box.values) }

    /// Marks the shared fields immortal (`Immortal`): only for values kept until the process exits.
    func markImmortal() { Immortal.mark(box) }

    /// Changes fields: the copy being changed gets a new set.
    mutating func change(_ body: (inout Values) -> Void) {
        var values = box.values
        body(&values)
        box = Box(values)
    }
}
