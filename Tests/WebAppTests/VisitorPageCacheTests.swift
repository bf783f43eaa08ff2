import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import Testing
import TestSupport
import WebApp

/// The pages kept for visitors: served again while nothing changed, and exactly what a
/// fresh render shows as soon as anything a visitor can see changed, on any instance.
@Suite("Pages kept for visitors") struct VisitorPageCacheTests {
    /// Changes a posting's title without telling anyone (triggers off for this
    /// statement's session): what a kept page does not know about.
    static func quietly(_ store: Store, _ sql: SQL) async throws {
        try await store.pool.transaction { tx in
            _ = try await tx.query("SET LOCAL session_replication_role = replica")
            _ = try await tx.query(sql)
        }
    }

    @Test func aKeptPageServesUntilSomethingChangesThenTheFreshOne() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "altra", title: "Bewaard Roodborst")
            let first = try await browser.get("/vacatures?q=roodborst")
            #expect(first.body.contains("Bewaard Roodborst"))
            // A change nobody announced: the kept page still shows the old title; a
            // request that asks for a fresh render sees the new one.
            try await Self.quietly(store, "UPDATE posting SET title = 'Stil Roodborst' WHERE id = \(posting.id)")
            let kept = try await browser.get("/vacatures?q=roodborst")
            #expect(kept.body == first.body)
            #expect(kept.headers[.eTag] != nil)
            let fresh = try await browser.get("/vacatures?q=roodborst", headers: [.cacheControl: "no-cache"])
            #expect(fresh.body.contains("Stil Roodborst"))
            // Any real change (here: another posting) makes every kept page stale at once.
            _ = try await makePosting(store, organisation: "cordaan", title: "Nieuwe Merel")
            let after = try await browser.get("/vacatures?q=roodborst")
            #expect(after.body.contains("Stil Roodborst") && !after.body.contains("Bewaard Roodborst"))
            // The kept page answers a conditional request with 304.
            let again = try await browser.get("/vacatures?q=roodborst", headers: [.ifNoneMatch: try #require(after.headers[.eTag])])
            #expect(again.status == .notModified)
        }
    }

    /// Thirty visitors at once on a page that just went stale: one renders, the others
    /// wait for it; every one gets the same, new page.
    @Test func visitorsAtOnceAllGetTheNewPage() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "altra", title: "Drukte Spreeuw")
            _ = try await browser.get("/vacatures?q=spreeuw")
            _ = try await store.pool.query("UPDATE posting SET title = 'Drukte Spreeuw Noord' WHERE id = \(posting.id)")
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<30 { group.addTask { try await Browser(browser.client).get("/vacatures?q=spreeuw").body } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(bodies.count == 30 && Set(bodies).count == 1)
            #expect(bodies[0].contains("Drukte Spreeuw Noord"))
        }
    }

    @Test func aPublishedPostingIsOnTheListAtOnce() async throws {
        try await TestApp.withDemo { browser, store in
            _ = try await browser.get("/vacatures?q=zanglijster")
            let posting = try await makePosting(store, organisation: "altra", title: "Zanglijster Oost", status: .draft)
            #expect(!(try await browser.get("/vacatures?q=zanglijster").body.contains("Zanglijster Oost")))
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            _ = try await store.postings.setStatus(posting.id, organisation: altra.id, to: .published, by: nil)
            #expect(try await browser.get("/vacatures?q=zanglijster").body.contains("Zanglijster Oost"))
            #expect(try await browser.get("/api/v1/postings?q=zanglijster").body.contains("Zanglijster Oost"))
        }
    }

    @Test func loggedInPeopleAndTokensGetTheirOwnRender() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "altra", title: "Eigen Koolmees")
            _ = try await browser.get("/vacatures?q=koolmees")
            try await Self.quietly(store, "UPDATE posting SET title = 'Eigen Pimpelmees' WHERE id = \(posting.id)")
            // A token of the organisation: never a kept answer.
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let token = try await store.apiTokens.create(organisation: altra.id, name: "LMS", by: nil)
            let api = try await browser.get("/api/v1/postings/\(posting.id.lowercased)", headers: [.authorization: "Bearer " + token])
            #expect(api.body.contains("Eigen Pimpelmees"))
            try await browser.login("professional@doorstroom.test")
            let page = try await browser.get("/vacatures?q=pimpelmees")
            #expect(page.body.contains("Eigen Pimpelmees"))
            #expect(page.body.contains("Uitloggen"), "the person's own page, with their menu")
        }
    }

    /// Every table either announces its changes or is named as one no visitor's page
    /// (or no monitoring figure) reads: a new table must be decided on.
    @Test func everyTableAnnouncesItsChangesOrIsKnownNotToMatter() async throws {
        try await TestDatabase.withStore { store in
            func silent(_ trigger: String) async throws -> [String] {
                try await store.pool.query(
                    """
                    SELECT t.tablename FROM pg_tables t
                    WHERE t.schemaname = 'public' AND NOT EXISTS (
                        SELECT FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
                        WHERE c.relname = t.tablename AND g.tgname = \(trigger))
                    ORDER BY 1
                    """
                ).decode(String.self)
            }
            let technical = [
                "account_token", "api_token", "application_seen", "audit_log", "calendar_feed", "catalogue_upload", "course_evaluation_given", "credential_reminder", "invitation",
                "job_alert_sent", "login_attempt", "notification", "recovery_code", "reminder_sent", "schema_migration", "search_word", "session",
            ]
            let figures = try await silent("figures_changed")
            let content = try await silent("content_changed")
            #expect(figures == technical)
            #expect(content == (technical + [
                "application_cv", "career_booking", "career_slot", "catalogue_import", "certificate", "consent", "course_click", "course_evaluation", "internship_agreement", "intervision_attendance", "intervision_group", "intervision_member", "intervision_request",
                "intervision_session", "interview_booking", "interview_slot", "job_alert", "matching_run", "mobility_move",
                "organisation_location", "pool_availability", "pool_availability_pattern", "pool_induction", "pool_member", "pool_member_area",
                "pool_member_discipline", "pool_member_function", "reflection_log", "rejection_template", "rotation", "rotation_party", "saved_posting", "shift_assignment",
                "shift_demand", "shift_forbidden", "training_wish", "training_wish_support",
            ]).sorted())
        }
    }

    @Test func onlyThePublicPagesAreKept() {
        #expect(VisitorPageCacheRoutes.isKept("/vacatures") && VisitorPageCacheRoutes.isKept("/ooapi/v5/courses"))
        #expect(VisitorPageCacheRoutes.isKept("/vacatures/\(UUID().lowercased)"))
        #expect(VisitorPageCacheRoutes.isKept("/ooapi/v5/courses/\(UUID().lowercased)/offerings"))
        #expect(!VisitorPageCacheRoutes.isKept("/login") && !VisitorPageCacheRoutes.isKept("/mijn") && !VisitorPageCacheRoutes.isKept("/vacatures/nieuw"))
        #expect(!VisitorPageCacheRoutes.isKept("/flexpool/agenda/abc"))
    }
}
