import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import TestSupport
import Testing
@testable import WebApp

/// The shapes issue 19 sets: every page's template is loaded and checked at start-up,
/// audit lines are written by the change they record, and the posting life cycle is
/// one rule for the pages and the API.
@Suite("One shape for routes, pages and audit lines")
struct ShapeTests {
    /// A copy of the real templates folder without one page: the start must fail and name it.
    @Test(arguments: [Page.vacancies, .flexpoolBoard, .myRotation, .error, .adminCareerStep])
    func removingAnyPageTemplateStopsTheStart(_ page: Page) async throws {
        let source = TestDatabase.projectRoot + "/web/templates"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: source, toPath: folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try await Views(folder: folder, openAPIFile: TestDatabase.projectRoot + "/docs/openapi.json")
        try FileManager.default.removeItem(atPath: folder + "/" + page.template + ".mustache")
        do {
            _ = try await Views(folder: folder, openAPIFile: TestDatabase.projectRoot + "/docs/openapi.json")
            Issue.record("started without \(page.template)")
        } catch let error as Views.MissingTemplates {
            #expect(error.names == [page.template])
        }
    }

    /// Every template in the pages folder is a case of `Page`, and every case has one.
    @Test func thePageRegistryIsTheTemplatesFolder() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestDatabase.projectRoot + "/web/templates/pages")
            .filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }
        #expect(Set(files) == Set(Page.allCases.map(\.rawValue)))
    }

    /// A status move writes exactly one audit line with the posting's id in lower case;
    /// asking for the status it already has, or a move the life cycle refuses, writes none.
    @Test func aPostingStatusMoveIsAuditedOnlyWhenItHappens() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            _ = try await browser.get("/beheer/vacatures")
            let draft = try await makePosting(store, organisation: "altra", title: "Ambulant hulpverlener", status: .draft)
            let id = draft.id.uuidString.lowercased()
            func lines() async throws -> [String] {
                try await store.pool.query(
                    "SELECT action FROM audit_log WHERE object_type = 'posting' AND object_id = \(id) ORDER BY id"
                ).decode(String.self)
            }
            #expect(try await lines() == ["posting.create"])
            // A draft cannot be filled: 409, nothing changes, no line.
            let refused = try await browser.post("/beheer/vacatures/\(id)/status", [("status", "filled")])
            #expect(refused.status == .conflict)
            #expect(try await store.postings.find(id: draft.id)?.status == .draft)
            #expect(try await lines() == ["posting.create"])
            #expect(try await browser.post("/beheer/vacatures/\(id)/status", [("status", "published")]).status == .seeOther)
            #expect(try await browser.post("/beheer/vacatures/\(id)/status", [("status", "published")]).status == .seeOther)
            #expect(try await lines() == ["posting.create", "posting.published"])
            let actor = try await store.pool.query(
                "SELECT a.email FROM audit_log l JOIN account a ON a.id = l.actor_account_id WHERE l.object_id = \(id) AND l.action = 'posting.published'"
            ).decode(String.self)
            #expect(actor == ["hr@altra.doorstroom.test"])
        }
    }

    /// The HR adviser's list offers exactly the moves the life cycle allows: a draft
    /// can be published but not marked filled; a closed posting can be published again.
    @Test func theListOffersTheMovesTheLifeCycleAllows() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            let draft = try await makePosting(store, organisation: "altra", title: "Concept zonder knop vervuld", status: .draft)
            let closed = try await makePosting(store, organisation: "altra", title: "Gesloten, weer te openen", status: .closed)
            let page = try await browser.get("/beheer/vacatures?stand=alle")
            func form(_ id: Posting.ID, _ status: String) -> Bool {
                let action = "/beheer/vacatures/\(id.uuidString.lowercased())/status"
                return page.body.components(separatedBy: "<form").contains {
                    $0.contains(action) && $0.contains("name=\"status\" value=\"\(status)\"")
                }
            }
            #expect(form(draft.id, "published"))
            #expect(!form(draft.id, "filled"))
            #expect(form(closed.id, "published"))
            #expect(!form(closed.id, "closed"))
        }
    }

    /// One way to write an object id: lower-case UUIDs (or a code), never upper case,
    /// whichever route wrote the line.
    @Test func auditObjectIDsAreWrittenOneWay() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("coordinator@doorstroom.test")
            _ = try await browser.get("/flexpool/coordinatie")
            let run = try await browser.post("/flexpool/coordinatie/matching", [("van", Day(Date()).iso), ("weken", "1")])
            #expect(run.status == .seeOther)
            try await browser.login("hr@altra.doorstroom.test")
            _ = try await browser.get("/beheer/vacatures")
            let posting = try await makePosting(store, organisation: "altra", title: "Gezinscoach", status: .draft)
            _ = try await browser.post("/beheer/vacatures/\(posting.id.uuidString.lowercased())/status", [("status", "published")])
            let kinds = try await store.pool.query(
                "SELECT DISTINCT object_type FROM audit_log WHERE object_id IS NOT NULL ORDER BY 1"
            ).decode(String.self)
            #expect(kinds.contains("matching_run") && kinds.contains("posting"))
            let upper = try await store.pool.query(
                "SELECT count(*)::int FROM audit_log WHERE object_id IS NOT NULL AND object_id <> lower(object_id)"
            ).first(decoding: Int.self)
            #expect(upper == 0)
        }
    }
}
