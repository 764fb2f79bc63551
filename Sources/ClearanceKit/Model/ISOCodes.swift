/// The closed code sets the loader and order readers validate against.
///
/// Kept as literal tables rather than read from the platform's ICU data, so that whether a
/// code is valid never depends on the machine that runs the check.
public enum ISOCodes {
    /// ISO 3166-1 alpha-2: the 249 officially assigned codes.
    public static let countries: Set<String> = Set(
        """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
        BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE
        EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
        HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC
        LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA
        NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
        SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
        TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// ISO 4217 active currency codes (including fund and precious-metal codes).
    public static let currencies: Set<String> = Set(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
        BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
        EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
        KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR
        MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB
        RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
        TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG
        XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Whether `text` is in `countries`, from a table indexed by its letters: hashing the
    /// destination of every order line was 1 % of its instructions (W1).
    public static func isCountry(_ text: String) -> Bool {
        text.withUTF8InPlace { isCountry(ascii: $0) }
    }

    /// `isCountry` of a text's UTF-8 bytes.
    static func isCountry(ascii bytes: UnsafeBufferPointer<UInt8>) -> Bool { country(ascii: bytes) != nil }

    /// The country code a text's UTF-8 bytes spell, as a string made once; nil when they spell
    /// none (an order line's destination: making the string from the bytes was about 80
    /// instructions a W1 line, callgrind).
    static func country(ascii bytes: UnsafeBufferPointer<UInt8>) -> String? {
        letterIndex(bytes, length: 2).flatMap { countryTable[$0] }
    }

    /// Whether `text` is in `currencies`, from a table indexed by its letters.
    public static func isCurrency(_ text: String) -> Bool {
        text.withUTF8InPlace { currency(ascii: $0) } != nil
    }

    /// The currency code a text's UTF-8 bytes spell, as a string made once; nil when they spell
    /// none.
    static func currency(ascii bytes: UnsafeBufferPointer<UInt8>) -> String? {
        letterIndex(bytes, length: 3).flatMap { currencyTable[$0] }
    }

    private static let countryTable = letterTable(countries, length: 2)
    private static let currencyTable = letterTable(currencies, length: 3)

    /// A table of every string of `length` capital letters, holding each of `codes` at its place
    /// and nil elsewhere.
    private static func letterTable(_ codes: Set<String>, length: Int) -> [String?] {
        var table = [String?](repeating: nil, count: (0..<length).reduce(1) { product, _ in product * 26 })
        for code in codes {
            guard let index = letterIndex(code, length: length) else { preconditionFailure("code '\(code)' is not \(length) capitals") }
            table[index] = code
        }
        return table
    }

    /// How many two-letter codes there can be: the bound of `countryPlace`.
    static let countryPlaces = 26 * 26

    /// The place of a country code among all pairs of capital letters, nil for any other text:
    /// a set of countries can be a set of bits (`LicenceMatcher.Scope`).
    ///
    /// A text held in the string (up to 15 ASCII bytes, `SmallASCIIString`) is read from its
    /// words: the rule index and the licence checks look up a line's countries this way, and
    /// through its bytes a look-up was a closure call.
    static func countryPlace(_ text: String) -> Int? { countryPlace(text, smallStrings: SmallASCIIString.isSupported) }

    /// `countryPlace(_:)`, with `SmallASCIIString.isSupported` read by the caller once (each read
    /// of it is a call: about 30 instructions a W1 line in the rule index's look-ups).
    static func countryPlace(_ text: String, smallStrings: Bool) -> Int? {
        guard smallStrings, let (low, high, count) = SmallASCIIString.words(text) else {
            return letterIndex(text, length: 2)
        }
        guard count == 2, high == 0 else { return nil }
        let (first, second) = (Int(truncatingIfNeeded: low & 0xFF) &- 0x41, Int(truncatingIfNeeded: low >> 8 & 0xFF) &- 0x41)
        guard UInt(bitPattern: first) < 26, UInt(bitPattern: second) < 26 else { return nil }
        return first &* 26 &+ second
    }

    /// The place of `text` among all strings of `length` capital letters (A–Z); nil for any other
    /// text, which is no code.
    private static func letterIndex(_ text: String, length: Int) -> Int? {
        text.withUTF8InPlace { letterIndex($0, length: length) }
    }

    private static func letterIndex(_ bytes: UnsafeBufferPointer<UInt8>, length: Int) -> Int? {
        guard bytes.count == length else { return nil }
        var index = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") else { return nil }
            index = index * 26 + Int(byte - UInt8(ascii: "A"))
        }
        return index
    }

    /// Chemical element symbols, as used in `composition.<Element>`.
    public static let elements: [String] =
        """
        H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br
        Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er
        Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md
        No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// `elements` as a set, for lookups.
    public static let elementSet: Set<String> = Set(elements)
}
