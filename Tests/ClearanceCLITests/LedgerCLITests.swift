import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The ledger under real processes: crash safety (kill -9 mid-batch) and concurrent recorders.
@Suite("CLI: ledger", .serialized)
struct LedgerCLITests {

    /// A directory with the pack, a ledger path and a function to write order files.
    struct Workspace {
        let root: String
        /// The shared fixture pack (Tests/Fixtures/ledger-pack).
        let packPath = CLI.root.appendingPathComponent("Tests/Fixtures/ledger-pack").path
        var ledger: String { root + "/ledger.sqlite" }

        init() throws {
            root = TemporaryFiles.directory("ledger-cli")
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        func orders(_ name: String, _ lines: [(id: String, quantity: String)]) -> String {
            let path = root + "/" + name
            let text =
                "id,supplier,customer,product,quantity,destination,end_use,date\n"
                + lines.map { "\($0.id),maker,alpha,DY-MAG,\($0.quantity),DE,civil,2026-03-01\n" }.joined()
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return path
        }

        func record(_ orders: String, pause: Double? = nil) throws -> Process {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["ledger", "record", orders, "--rules", packPath, "--ledger", ledger, "--by", "test"]
            var environment = ProcessInfo.processInfo.environment
            if let pause { environment["CLEARANCE_LEDGER_PAUSE_BEFORE_COMMIT"] = String(pause) }
            process.environment = environment
            process.standardOutput = Pipe()
            process.standardError = Pipe()
            try process.run()
            return process
        }

        func exportedRows() throws -> [String] {
            let result = try CLI.run(["ledger", "export", "--ledger", ledger])
            return result.stdout.split(separator: "\r\n").dropFirst().map(String.init)
        }
    }

    /// Reads a process's standard error until `marker` appears (or the process ends).
    static func wait(for marker: String, in process: Process) -> Bool {
        guard let pipe = process.standardError as? Pipe else { return false }
        var seen = ""
        while process.isRunning || !seen.isEmpty {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { return false }
            seen += String(decoding: data, as: UTF8.self)
            if seen.contains(marker) { return true }
        }
        return false
    }

    @Test("kill -9 during 'ledger record' leaves none of the batch")
    func crashSafety() throws {
        let workspace = try Workspace()
        let orders = workspace.orders("batch.csv", [("A1", "1 t"), ("A2", "1 t"), ("A3", "1 t")])
        let process = try workspace.record(orders, pause: 30)
        #expect(Self.wait(for: "entries written, committing", in: process))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try workspace.exportedRows().isEmpty)
        // The ledger is intact: the same batch records in full afterwards.
        let again = try CLI.run(["ledger", "record", orders, "--rules", workspace.packPath, "--ledger", workspace.ledger])
        #expect(again.status == 0)
        #expect(try workspace.exportedRows().count == 3)
    }

    @Test("two recorders racing for the last units of a limit: exactly one wins")
    func concurrentRecorders() throws {
        let workspace = try Workspace()
        let prefill = workspace.orders("prefill.csv", [("P1", "4 t")])
        #expect(try CLI.run(["ledger", "record", prefill, "--rules", workspace.packPath, "--ledger", workspace.ledger]).status == 0)
        let first = workspace.orders("first.csv", [("X1", "1.5 t")])
        let second = workspace.orders("second.csv", [("Y1", "1.5 t")])
        let a = try workspace.record(first, pause: 1)
        let b = try workspace.record(second, pause: 1)
        a.waitUntilExit()
        b.waitUntilExit()
        #expect([a.terminationStatus, b.terminationStatus].sorted() == [0, 1])
        let rows = try workspace.exportedRows()
        #expect(rows.count == 2)
        #expect(rows.filter { $0.contains(",X1,") || $0.contains(",Y1,") }.count == 1)
    }

    @Test("check --ledger counts committed usage; show, void and export work end to end")
    func endToEnd() throws {
        let workspace = try Workspace()
        let orders = workspace.orders("o.csv", [("A1", "5 t")])
        let recorded = try CLI.run(["ledger", "record", orders, "--rules", workspace.packPath, "--ledger", workspace.ledger])
        #expect(recorded.status == 0)
        #expect(recorded.stdout.contains("recorded entry #1"))
        let repeated = try CLI.run(["ledger", "record", orders, "--rules", workspace.packPath, "--ledger", workspace.ledger])
        #expect(repeated.stdout.contains("already recorded as #1"))
        let next = workspace.orders("next.csv", [("A2", "2 t")])
        let checked = try CLI.run(["check", next, "--rules", workspace.packPath, "--ledger", workspace.ledger])
        #expect(checked.status == 1)
        #expect(checked.stdout.contains("[licence-limit]"))
        let fromEnvironment = try CLI.run(
            ["check", next, "--rules", workspace.packPath], environment: ["CLEARANCE_LEDGER": workspace.ledger])
        #expect(fromEnvironment.status == 1)
        #expect(try CLI.run(["check", next, "--rules", workspace.packPath]).status == 0)
        let show = try CLI.run(["ledger", "show", "--rules", workspace.packPath, "--ledger", workspace.ledger, "--format", "csv"])
        #expect(show.stdout.contains("L1,per_customer_quantity,alpha,6000 kg,5000 kg,1000 kg,83.3,2026-03-01"))
        let void = try CLI.run(["ledger", "void", "A1", "--reason", "cancelled", "--ledger", workspace.ledger])
        #expect(void.stdout == "voided entry #1 (maker A1 on L1) with entry #2\n")
        #expect(try CLI.run(["check", next, "--rules", workspace.packPath, "--ledger", workspace.ledger]).status == 0)
        #expect(try workspace.exportedRows().count == 2)
        let noLedger = try CLI.run(["ledger", "show", "--rules", workspace.packPath])
        #expect(noLedger.status == 2)
        #expect(noLedger.stderr.contains("name the ledger with --ledger PATH or CLEARANCE_LEDGER"))
    }

    @Test("licences: status, days left, usage and flags")
    func licences() throws {
        let workspace = try Workspace()
        let orders = workspace.orders("o.csv", [("A1", "5.5 t")])
        _ = try CLI.run(["ledger", "record", orders, "--rules", workspace.packPath, "--ledger", workspace.ledger])
        let result = try CLI.run([
            "licences", "--rules", workspace.packPath, "--ledger", workspace.ledger, "--as-of", "2027-01-09", "--format", "json",
        ])
        #expect(result.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: String]])
        #expect(rows.first?["status"] == "expired")
        #expect(rows.first?["days_left"] == "-9")
        let soon = try CLI.run([
            "licences", "--rules", workspace.packPath, "--ledger", workspace.ledger, "--as-of", "2026-12-20", "--expiring-within", "30",
        ])
        #expect(soon.stdout.contains("expires in 11 days"))
        #expect(soon.stdout.contains("per_customer_quantity 5500/6000 kg by alpha (92%)"))
        #expect(soon.stdout.contains("over 90% used"))
    }
}
