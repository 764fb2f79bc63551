import Testing

@testable import ClearanceKit

@Suite("Reason order")
struct ReasonOrderTests {
    @Test("codes compare as their raw values do, for every pair (the ranks follow the alphabet)")
    func codesCompareAsTexts() {
        for lhs in ReasonCode.allCases {
            for rhs in ReasonCode.allCases {
                #expect((lhs < rhs) == (lhs.rawValue < rhs.rawValue), "\(lhs.rawValue) < \(rhs.rawValue)")
            }
        }
        #expect(Set(ReasonCode.allCases.map(\.rank)).count == ReasonCode.allCases.count)
    }
}
