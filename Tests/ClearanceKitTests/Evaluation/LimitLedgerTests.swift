import Foundation
import Testing

@testable import ClearanceKit

@Suite("Limit ledger")
struct LimitLedgerTests {
    static func quantity(_ text: String) throws -> Quantity { try Quantity.parse(text).get() }
    static func money(_ text: String) throws -> Money { try Money.parse(text).get() }

    @Test("draws add up per licence and per customer, mass, pieces and each currency apart")
    func sums() throws {
        var ledger = LimitLedger()
        ledger.draw(licence: "L1", customer: "c-b", quantity: try Self.quantity("500 kg"), value: try Self.money("100 USD"))
        ledger.draw(licence: "L1", customer: "c-a", quantity: try Self.quantity("1.5 t"), value: try Self.money("50 EUR"))
        ledger.draw(licence: "L1", customer: "c-b", quantity: try Self.quantity("20 pcs"), value: nil)
        ledger.draw(licence: "L1", customer: nil, quantity: nil, value: try Self.money("7 USD"))
        ledger.draw(licence: "L2", customer: "c-c", quantity: try Self.quantity("1 g"), value: nil)
        func used(_ licence: String, _ customer: String?, _ amount: Limit.Amount) -> Decimal {
            ledger.used(LimitLedger.Key(licence: licence, customer: customer), like: amount)
        }
        let (kg, pcs) = (Limit.Amount.quantity(try Self.quantity("1 kg")), Limit.Amount.quantity(try Self.quantity("1 pcs")))
        let (usd, eur, cny) = (
            Limit.Amount.value(try Self.money("1 USD")), Limit.Amount.value(try Self.money("1 EUR")),
            Limit.Amount.value(try Self.money("1 CNY"))
        )
        #expect(used("L1", nil, kg) == 2_000)
        #expect(used("L1", nil, pcs) == 20)
        #expect(used("L1", nil, usd) == 107)
        #expect(used("L1", nil, eur) == 50)
        #expect(used("L1", nil, cny) == 0)
        #expect(used("L1", "c-b", kg) == 500)
        #expect(used("L1", "c-b", pcs) == 20)
        #expect(used("L1", "c-b", usd) == 100)
        #expect(used("L1", "c-a", kg) == 1_500)
        #expect(used("L1", "c-a", pcs) == 0)
        #expect(used("L2", nil, kg) == Decimal(string: "0.001"))
        #expect(used("L3", nil, kg) == 0)
        #expect(ledger.customers(of: "L1") == ["c-a", "c-b"])
        #expect(ledger.customers(of: "L2") == ["c-c"])
    }

    @Test("a line with neither quantity nor value draws nothing and names no customer")
    func emptyDraw() {
        var ledger = LimitLedger()
        ledger.draw(licence: "L1", customer: "c-a", quantity: nil, value: nil)
        #expect(ledger.customers(of: "L1").isEmpty)
    }
}
