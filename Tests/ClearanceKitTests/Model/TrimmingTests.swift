import Testing

@testable import ClearanceKit

@Suite("String.trimmingSpaces")
struct TrimmingTests {
    @Test(
        "trims spaces, tabs and other space separators at both ends, nothing inside",
        arguments: [
            ("plain", "plain"), ("  padded  ", "padded"), ("\tTab\t", "Tab"), ("\u{A0}5 kg\u{A0}", "5 kg"), ("\u{3000}全角\u{3000}", "全角"),
            ("   ", ""), ("", ""), ("a b", "a b"), ("line\n", "line\n"), (" x", "x"), ("é ", "é"),
        ])
    func trims(input: String, output: String) {
        #expect(input.trimmingSpaces == output)
        #expect(String(Substring(input).trimmingSpaces) == output)
    }
}
