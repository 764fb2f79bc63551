import Foundation
import Testing

@testable import ClearanceKit

@Suite("Day")
struct DayTests {
    @Test("parses calendar dates and round-trips them", arguments: ["2025-04-04", "2024-02-29", "2000-02-29", "1999-12-31", "2026-11-10"])
    func roundTrip(text: String) throws {
        let day = try #require(Day(parsing: text))
        #expect(day.description == text)
    }

    @Test("writes every day from year 1 to 9999 as zero-padded YYYY-MM-DD, every 37th day checked")
    func descriptions() throws {
        func padded(_ value: Int, _ width: Int) -> String {
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        let first = try #require(Day(parsing: "0001-01-01"))
        let last = try #require(Day(parsing: "9999-12-31"))
        for ordinal in stride(from: first.ordinal, through: last.ordinal, by: 37) {
            let day = Day(ordinal: ordinal)
            let (year, month, date) = day.parts
            #expect(day.description == "\(padded(year, 4))-\(padded(month, 2))-\(padded(date, 2))")
            #expect(Day(parsing: day.description) == day)
        }
        // Outside four digits the text is still the year, padded as before.
        #expect(Day(ordinal: last.ordinal + 1).description == "10000-01-01")
    }

    @Test(
        "rejects what is not a calendar date",
        arguments: [
            "2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-1-5", "20260105", "2026-01-05T00:00", "", "2026-00-10",
            "２０２６-01-05", "2026-01-0５", " 2026-01-05",
        ])
    func rejects(text: String) {
        #expect(Day(parsing: text) == nil)
    }

    @Test("orders days and counts between them")
    func ordering() throws {
        let a = try #require(Day(parsing: "2025-12-31"))
        let b = try #require(Day(parsing: "2026-01-01"))
        #expect(a < b)
        #expect(b.ordinal - a.ordinal == 1)
        #expect(Day(parsing: "1970-01-01")?.ordinal == 0)
    }

    @Test("inclusive ranges")
    func ranges() throws {
        let range = DayRange(from: Day(parsing: "2025-11-07"), until: Day(parsing: "2026-11-10"))
        #expect(range.contains(try #require(Day(parsing: "2025-11-07"))))
        #expect(range.contains(try #require(Day(parsing: "2026-11-10"))))
        #expect(!range.contains(try #require(Day(parsing: "2026-11-11"))))
        #expect(!range.contains(try #require(Day(parsing: "2025-11-06"))))
        #expect(DayRange(from: nil, until: nil).contains(try #require(Day(parsing: "1990-01-01"))))
    }
}

@Suite("Quantity, Money, Percentage")
struct QuantityTests {
    @Test(
        "normalises mass to kg",
        arguments: [("500 kg", "500"), ("2.5 t", "2500"), ("1200 g", "1.2"), ("0 kg", "0"), ("1000kg", "1000"), ("  7 t ", "7000")])
    func mass(text: String, kilograms: String) throws {
        let quantity = try Quantity.parse(text).get()
        #expect(quantity.dimension == .mass)
        #expect(quantity.amount == Decimal(string: kilograms))
    }

    @Test("1000 kg equals 1 t exactly")
    func equalMass() throws {
        #expect(try Quantity.parse("1000 kg").get() == Quantity.parse("1 t").get())
        #expect(try Quantity.parse("0.1 t").get().amount == Decimal(string: "100"))
    }

    @Test("counts pieces apart from mass")
    func pieces() throws {
        let quantity = try Quantity.parse("3000 pcs").get()
        #expect(quantity.dimension == .pieces)
        #expect(Operand.compare(.quantity(quantity), .quantity(try Quantity.parse("3 t").get())) == nil)
    }

    @Test(
        "rejects anything that is not a plain number with a known unit",
        arguments: [
            ("5 KG", Quantity.Problem.unknownUnit("KG")), ("5 lbs", .unknownUnit("lbs")), ("500", .missingUnit),
            ("-5 kg", .number(.negative)), ("NaN kg", .number(.notANumber)), ("inf kg", .number(.notANumber)),
            ("1e309 kg", .number(.notANumber)), ("1,000 kg", .number(.notANumber)), ("2,5 t", .number(.notANumber)),
            ("kg", .number(.empty)), ("1 000 kg", .number(.notANumber)),
            ("1234567890123456789012345678901 kg", .number(.tooManyDigits)),
        ])
    func rejects(text: String, problem: Quantity.Problem) {
        #expect(Quantity.parse(text) == .failure(problem))
    }

    @Test("money needs an ISO-4217 currency")
    func money() throws {
        #expect(try Money.parse("1250000 USD").get() == Money(amount: 1_250_000, currency: "USD"))
        #expect(Money.parse("100 usd") == .failure(.unknownCurrency("usd")))
        #expect(Money.parse("100 XYZ") == .failure(.unknownCurrency("XYZ")))
        #expect(Money.parse("100") == .failure(.missingCurrency))
        #expect(Operand.compare(.money(Money(amount: 1, currency: "USD")), .money(Money(amount: 1, currency: "EUR"))) == nil)
    }

    @Test("percentages from 0% to 100%")
    func percentages() {
        #expect(Percentage.parse("0.1%")?.percent == Decimal(string: "0.1"))
        #expect(Percentage.parse("2.5 %")?.percent == Decimal(string: "2.5"))
        #expect(Percentage.parse("O.1%") == nil)
        #expect(Percentage.parse("0.1") == nil)
        #expect(Percentage.parse("101%") == nil)
        #expect(Percentage.parse("-1%") == nil)
        #expect(Percentage.fromNumber("2.3")?.percent == Decimal(string: "2.3"))
        #expect(Percentage.parse(" \t100 %\t")?.percent == 100)
        #expect(Percentage.parse("5%\n") == nil)
        #expect(Percentage.parse("%") == nil)
        #expect(Percentage.parse("\u{A0}2\u{A0}%") == nil)
    }

    @Test("percentages read byte by byte as they did character by character (3,000 texts)")
    func percentagesByteWise() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = ["0", "1", "5", "9", ".", "%", " ", "\t", "-", "x", "\r\n", "\u{301}", "\u{A0}", "\u{600}", "1"]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            #expect(Percentage.parse(text)?.exact == Percentage.parseCharacterWise(text)?.exact, "\(text.debugDescription)")
        }
    }

    @Test("HS codes read byte by byte as they did character by character (3,000 texts)")
    func hsCodes() {
        func characterWise(_ text: String) -> String? {
            let digits = text.filter { $0 != "." && $0 != " " }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return digits
        }
        var generator = SystemRandomNumberGenerator()
        let pieces = ["0", "5", "9", ".", " ", "8505", "11", "x", "\t", "٣", "1\u{301}", "\u{FF15}", "-", "\r\n", ""]
        var texts = ["8505.11.10", "850511", " 85 05 ", "...", "", "8505,11", "８５０５"]
        for _ in 0..<3_000 {
            texts.append((0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts { #expect(HSCode.normalise(text) == characterWise(text), "\(text.debugDescription)") }
        #expect(HSCode.normalise("8505.11 10") == "85051110")
    }

    @Test("ISO tables know the codes the pack uses")
    func isoTables() {
        #expect(ISOCodes.countries.count == 249)
        #expect(ISOCodes.countries.contains("NO"))
        #expect(!ISOCodes.countries.contains("XX"))
        #expect(ISOCodes.elements.count == 118)
        #expect(ISOCodes.elementSet.contains("Dy"))
    }

    @Test("the letter tables answer as the code sets do, for every two- and three-letter text and odd ones")
    func isoLetterTables() {
        let letters = (UInt8(ascii: "@")...UInt8(ascii: "[")).map { String(UnicodeScalar($0)) } + ["a", "z", "É", " ", "0"]
        var checked = 0
        for first in letters {
            for second in letters {
                let pair = first + second
                #expect(ISOCodes.isCountry(pair) == ISOCodes.countries.contains(pair), "\(pair)")
                var bytes = pair
                let country = bytes.withUTF8 { ISOCodes.country(ascii: $0) }
                #expect(country == (ISOCodes.countries.contains(pair) ? pair : nil), "\(pair)")
                for third in letters {
                    let triple = pair + third
                    #expect(ISOCodes.isCurrency(triple) == ISOCodes.currencies.contains(triple), "\(triple)")
                    var tripleBytes = triple
                    let currency = tripleBytes.withUTF8 { ISOCodes.currency(ascii: $0) }
                    #expect(currency == (ISOCodes.currencies.contains(triple) ? triple : nil), "\(triple)")
                    checked += 1
                }
            }
        }
        #expect(checked == letters.count * letters.count * letters.count)
        for odd in ["", "D", "DEU", "de", "D E", "US D", "USDX", "ÜS"] {
            #expect(!ISOCodes.isCountry(odd) || ISOCodes.countries.contains(odd), "\(odd)")
            #expect(!ISOCodes.isCurrency(odd) || ISOCodes.currencies.contains(odd), "\(odd)")
            var bytes = odd
            #expect(bytes.withUTF8 { ISOCodes.country(ascii: $0) } == (ISOCodes.countries.contains(odd) ? odd : nil), "\(odd)")
            #expect(bytes.withUTF8 { ISOCodes.currency(ascii: $0) } == (ISOCodes.currencies.contains(odd) ? odd : nil), "\(odd)")
        }
        #expect(ISOCodes.isCountry("DE") && ISOCodes.isCurrency("USD") && !ISOCodes.isCountry("XX"))
    }
}

@Suite("DecimalNumber")
struct DecimalNumberTests {
    @Test("the fast path reads exactly what Decimal(string:) reads: same value, same hash, same text (5,000 numbers)")
    func fastPathAgrees() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let whole = String(
                (0..<Int.random(in: 1...12, using: &generator)).map { _ in "0123456789".randomElement(using: &generator) ?? "0" })
            let fraction = String(
                (0..<Int.random(in: 0...6, using: &generator)).map { _ in "0123456789".randomElement(using: &generator) ?? "0" })
            let text = fraction.isEmpty ? whole : whole + "." + fraction
            let parsed = try DecimalNumber.parse(Substring(text)).get()
            let reference = try #require(Decimal(string: text, locale: DecimalNumber.posix))
            #expect(parsed == reference, "\(text)")
            #expect(parsed.hashValue == reference.hashValue, "\(text)")
            #expect(DecimalNumber.format(parsed) == DecimalNumber.format(reference), "\(text)")
        }
    }

    /// The scalar-by-scalar reading that the byte-wise one replaced, kept as the reference.
    static func scalarReading(_ text: Substring) -> Result<Decimal, DecimalNumber.Problem> {
        if text.isEmpty { return .failure(.empty) }
        if text.first == "-" { return scalarReading(text.dropFirst()).flatMap { _ in .failure(.negative) } }
        var (digits, seenPoint, digitsAfterPoint) = (0, false, 0)
        for character in text.unicodeScalars {
            switch character {
            case "0"..."9":
                digits += 1
                if seenPoint { digitsAfterPoint += 1 }
            case "." where !seenPoint && digits > 0: seenPoint = true
            default: return .failure(.notANumber)
            }
        }
        if digits == 0 || (seenPoint && digitsAfterPoint == 0) { return .failure(.notANumber) }
        if digits > DecimalNumber.maximumDigits { return .failure(.tooManyDigits) }
        return Decimal(string: String(text), locale: DecimalNumber.posix).map { .success($0) } ?? .failure(.notANumber)
    }

    @Test("any text reads byte by byte as it did scalar by scalar: same number or same problem (5,000 texts)")
    func bytesAgreeWithScalars() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["1", "0", "9", "25", ".", "-", "e", " ", "\u{301}", "\u{663}", "\u{FF11}", "x", "12345678901234567890", "%"]
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...5, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            #expect(DecimalNumber.parse(Substring(text)) == Self.scalarReading(Substring(text)), "\(text.debugDescription)")
        }
        #expect(DecimalNumber.parse("-\u{301}5") == .failure(.notANumber))
        #expect(DecimalNumber.parse("-5") == .failure(.negative))
    }

    @Test("numbers with more than 18 digits still parse exactly")
    func longNumbers() throws {
        let text = "123456789012345678901234.5"
        #expect(try DecimalNumber.parse(Substring(text)).get() == Decimal(string: text, locale: DecimalNumber.posix))
    }
}

@Suite("NumberWithUnit")
struct NumberWithUnitTests {
    @Test("reading over the bytes gives what splitting by characters and parsing the number gives (3,000 random texts)")
    func readAgreesWithSplitAndParse() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "1", "25", ".", "0", " ", "\t", "kg", "t", "pcs", "USD", "e", "-", "%", "g", "\r\n", "Kg", "12345678901234567890", "\u{301}",
            "５", "EUR", "CNY", "US", "pc", "eur", "kgs",
        ]
        for _ in 0..<3_000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            let (number, unit) = NumberWithUnit.read(text)
            let split = NumberWithUnit.splitCharacters(text)
            #expect(number == DecimalNumber.parseExact(split.number), "\(text.debugDescription)")
            #expect(unit == String(split.unit), "\(text.debugDescription)")
            var bytes = text
            let fromBytes = bytes.withUTF8 { NumberWithUnit.read(ascii: $0) }
            #expect(fromBytes.number == number && fromBytes.unit == unit, "\(text.debugDescription)")
        }
        // A combining mark makes the unit's last character other than its bytes say.
        #expect(NumberWithUnit.read("5 kg\u{301}").unit == "kg\u{301}")
        #expect(NumberWithUnit.read("5 kg\u{301}").unit == String(NumberWithUnit.splitCharacters("5 kg\u{301}").unit))
    }

    @Test("quantities and values of the common shape read in one pass as the general reading reads them (5,000 random texts)")
    func commonShapeAgreesWithGeneralReading() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "1", "25", "0", "007", ".", "5", " ", "  ", "\t", "kg", "t", "g", "pcs", "USD", "EUR", "CNY", "GBP", "XYZ", "Kg", "KG", "e",
            "kgs", "-", "12345678901234567", "123456789", "\u{301}", "５", "pc", "US", "usd", "USDX",
        ]
        var common = 0
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 1...5, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            var bytes = text
            bytes.withUTF8 { utf8 in
                if NumberWithUnit.common(utf8) != nil { common += 1 }
                // `parse(_:)` of a string reads through `read` alone; `parse(ascii:)` tries the common shape first.
                let (quantity, general) = (Quantity.parse(ascii: utf8), Quantity.parse(text))
                #expect(quantity == general, "\(text.debugDescription)")
                #expect((try? quantity.get())?.exact.nanos == (try? general.get())?.exact.nanos, "\(text.debugDescription)")
                let (money, generalMoney) = (Money.parse(ascii: utf8), Money.parse(text))
                #expect(money == generalMoney, "\(text.debugDescription)")
                #expect((try? money.get())?.exact.nanos == (try? generalMoney.get())?.exact.nanos, "\(text.debugDescription)")
            }
        }
        // The random texts exercise the one-pass reading, not only the general one.
        #expect(common > 100)
        for text in ["170 kg", "2137 pcs", "166294 USD", "2.5t", "0.125 g", "1 GBP"] {
            var bytes = text
            #expect(bytes.withUTF8 { NumberWithUnit.common($0) } != nil, "\(text)")
        }
        let uncommon = [
            "170  kg", " 170 kg", "170 kg ", "1. kg", ".5 kg", "1.0000000001 kg", "1234567890123456789 kg", "170 kilo", "170", "5 k1",
        ]
        for text in uncommon {
            var bytes = text
            #expect(bytes.withUTF8 { NumberWithUnit.common($0) } == nil, "\(text)")
        }
    }
}

@Suite("ExactAmount")
struct ExactAmountTests {
    static func randomNumber(_ generator: inout SystemRandomNumberGenerator) -> String {
        let digits = "0123456789"
        let whole = String((0..<Int.random(in: 1...12, using: &generator)).map { _ in digits.randomElement(using: &generator) ?? "0" })
        let fraction = String((0..<Int.random(in: 0...11, using: &generator)).map { _ in digits.randomElement(using: &generator) ?? "0" })
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    @Test("billionths of a significand with 0 to 9 decimals, and none past 9 decimals or on overflow")
    func billionths() {
        for decimals in 0...9 {
            var power: Int64 = 1
            for _ in decimals..<9 { power *= 10 }
            #expect(ExactAmount.nanos(significand: 7, decimals: decimals) == 7 * power, "\(decimals) decimals")
            #expect(ExactAmount.nanos(significand: UInt64(Int64.max / power) + 1, decimals: decimals) == nil || power == 1)
        }
        #expect(ExactAmount.nanos(significand: 7, decimals: 10) == nil)
        #expect(ExactAmount.nanos(significand: 7, decimals: -1) == nil)
    }

    @Test("amounts order and equal as their decimals do, with or without billionths (4,000 pairs)")
    func ordersAsDecimals() throws {
        var generator = SystemRandomNumberGenerator()
        var withNanos = 0
        for _ in 0..<4_000 {
            let texts = (Self.randomNumber(&generator), Bool.random(using: &generator) ? Self.randomNumber(&generator) : "")
            let left = try DecimalNumber.parseExact(Substring(texts.0)).get()
            let right = try DecimalNumber.parseExact(Substring(texts.1.isEmpty ? texts.0 : texts.1)).get()
            if left.nanos != nil && right.nanos != nil { withNanos += 1 }
            #expect((left < right) == (left.value < right.value), "\(texts)")
            #expect((left == right) == (left.value == right.value), "\(texts)")
            #expect((left == ExactAmount(right.value)) == (left.value == right.value), "\(texts)")
            #expect((ExactAmount(left.value) < right) == (left.value < right.value), "\(texts)")
            if left == right { #expect(left.hashValue == ExactAmount(right.value).hashValue, "\(texts)") }
        }
        #expect(withNanos > 1_000)  // the fast path is taken
        #expect(try DecimalNumber.parseExact("9999999999.5").get().nanos == nil)  // past Int64 in billionths
        #expect(try DecimalNumber.parseExact("1.0000000001").get().nanos == nil)  // 10 decimals
        #expect(try DecimalNumber.parseExact("2.5").get().nanos == 2_500_000_000)
    }

    @Test("quantities in g, kg and t compare as their kilograms do (3,000 pairs)")
    func quantities() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let texts = (0..<2).map { _ in
                Self.randomNumber(&generator) + " " + (["g", "kg", "t"].randomElement(using: &generator) ?? "kg")
            }
            let left = try Quantity.parse(texts[0]).get()
            let right = try Quantity.parse(texts[1]).get()
            let expected: ComparisonResult =
                left.amount < right.amount ? .orderedAscending : left.amount > right.amount ? .orderedDescending : .orderedSame
            #expect(Operand.compare(.quantity(left), .quantity(right)) == expected, "\(texts)")
            #expect((left == right) == (left.amount == right.amount), "\(texts)")
        }
    }

    @Test("sums, differences and their text equal Foundation's decimal ones, in billionths or not (4,000 pairs)")
    func arithmeticAndTextAsDecimals() throws {
        var generator = SystemRandomNumberGenerator()
        var inNanos = 0
        for _ in 0..<4_000 {
            let texts = (Self.randomNumber(&generator), Self.randomNumber(&generator))
            let left = try DecimalNumber.parseExact(Substring(texts.0)).get()
            let right = try DecimalNumber.parseExact(Substring(texts.1)).get()
            let (sum, difference) = (left + right, left - right)
            if sum.nanos != nil && difference.nanos != nil { inNanos += 1 }
            #expect(sum.value == left.value + right.value && difference.value == left.value - right.value, "\(texts)")
            #expect(left.formatted == DecimalNumber.format(left.value), "\(texts)")
            #expect(sum.formatted == DecimalNumber.format(left.value + right.value), "\(texts)")
            #expect(difference.formatted == DecimalNumber.format(left.value - right.value), "\(texts)")
        }
        #expect(inNanos > 100)
        // Past Int64 in billionths the sum is a decimal, still exact.
        let big = ExactAmount(nanos: .max)
        let sum = big + ExactAmount(nanos: 1)
        #expect(sum.nanos == nil && sum.value == big.value + Decimal(string: "0.000000001")!)
        #expect(sum.formatted == "9223372036.854775808")
        #expect(ExactAmount(nanos: 0).formatted == "0" && ExactAmount(nanos: 1).formatted == "0.000000001")
    }

    @Test("t and g convert to kg by moving the decimal point, as multiplying and dividing by 1,000 do (5,000 numbers)")
    func shiftedDecimals() throws {
        var generator = SystemRandomNumberGenerator()
        var numbers = (0..<5_000).map { _ in Self.randomNumber(&generator) }
        numbers += ["0", "0.000000001", "99999999999999999999", "-2.5", "1e3"]
        for text in numbers {
            let value = try #require(Decimal(string: text), "\(text)")
            for (places, expected) in [(3, value * 1000), (-3, value / 1000)] {
                let shifted = ExactAmount.shifted(value, by: places)
                #expect(shifted == expected && shifted.description == expected.description, "\(text) shifted by \(places)")
                #expect(shifted.hashValue == expected.hashValue, "\(text) shifted by \(places)")
            }
        }
        // Past the exponents a decimal can hold the point cannot move: it multiplies instead.
        let huge = Decimal(sign: .plus, exponent: 120, significand: 7)
        #expect(ExactAmount.shifted(huge, by: 3) == huge * 1000)
        #expect(try Quantity.parse("2.5 t").get().amount.description == "2500")
        #expect(try Quantity.parse("1200 g").get().amount.description == "1.2")
    }

    @Test("changing an amount drops its billionths, so it never compares by a stale value")
    func mutation() throws {
        var percentage = try #require(Percentage.parse("5%"))
        percentage.percent += 1
        #expect(try percentage > #require(Percentage.parse("5.5%")))
        var quantity = try Quantity.parse("5 kg").get()
        quantity.amount = 7
        #expect(Operand.compare(.quantity(quantity), .quantity(try Quantity.parse("6 kg").get())) == .orderedDescending)
        var money = try Money.parse("5 USD").get()
        money.amount = 7
        #expect(Operand.compare(.money(money), .money(try Money.parse("6 USD").get())) == .orderedDescending)
        #expect(Percentage.zero == Percentage(percent: 0))
    }
}
