import Domain
import Foundation
import Testing

@Suite("Domain rules")
struct DomainTests {
    @Test func organisationInputIsCheckedInDutchPerField() {
        #expect(throws: ValidationErrors.self) { try NewOrganisation.parse(slug: "", name: "", kind: "", municipality: "") }
        do {
            _ = try NewOrganisation.parse(slug: "Bad Slug!", name: String(repeating: "x", count: 201), kind: "bank", municipality: "utrecht")
        } catch {
            #expect(error["slug"]?.contains("kleine letters") == true)
            #expect(error["name"]?.contains("te lang") == true)
            #expect(error["kind"] != nil)
            #expect(error["municipality"] == "Kies een gemeente van de regio.")
        }
        let ok = try? NewOrganisation.parse(slug: " De-Bascule ", name: " de Bascule ", kind: "care_provider", municipality: "amsterdam")
        #expect(ok?.slug == "de-bascule")
        #expect(ok?.name == "de Bascule")
    }

    @Test func slugs() {
        #expect(Slug.make(from: "MOC 't Kabouterhuis") == "moc-t-kabouterhuis")
        #expect(Slug.make(from: "Coördinatie & Zorg") == "coordinatie-zorg")
        #expect(Slug.isValid("t-abc"))
        #expect(!Slug.isValid("-abc"))
        #expect(!Slug.isValid("a--b"))
        #expect(!Slug.isValid("ABC"))
    }

    @Test func accountsNeedAValidEmailNameAndALongPassword() {
        do {
            _ = try NewAccount.parse(email: "geen-email", displayName: " ", password: "kort", role: "hr_adviser", organisationID: "", common: NoList())
            Issue.record("accepted")
        } catch {
            #expect(error["email"] == "Dit is geen geldig e-mailadres.")
            #expect(error["displayName"] == "Vul de naam in.")
            #expect(error["password"]?.hasPrefix("Kies een wachtwoord van minstens 12 tekens.") == true)
            #expect(error["organisation"] == "Kies de organisatie waarvoor deze rol geldt.")
        }
        let account = try? NewAccount.parse(
            email: " hr@altra.nl ", displayName: "HR", password: "een lang wachtwoord", role: "coordinator", organisationID: "", common: NoList())
        #expect(account?.email == "hr@altra.nl")
        #expect(account?.grant == RoleGrant(role: .coordinator, organisationID: nil))
    }

    @Test func roleScopes() {
        #expect(throws: ValidationErrors.self) { try RoleGrant(role: .hrAdviser).validated() }
        #expect(throws: ValidationErrors.self) { try RoleGrant(role: .admin, organisationID: UUID()).validated() }
        #expect((try? RoleGrant(role: .coordinator, organisationID: UUID()).validated()) != nil)
        #expect((try? RoleGrant(role: .coordinator).validated()) != nil)
    }

    @Test func days() {
        #expect(Day(iso: "2024-02-29")?.dutch == "29-02-2024")
        #expect(Day(iso: "2023-02-29") == nil)
        #expect(Day(iso: "2026-13-01") == nil)
        #expect(Day(iso: "26-1-1") == nil)
        #expect(Day(iso: "2026-01-02")! < Day(iso: "2026-01-10")!)
        // Just before midnight UTC is already the next day in Amsterdam.
        #expect(Day(Date(timeIntervalSince1970: 1_795_391_940)).iso == "2026-11-23")
    }

    @Test func regionReferenceData() {
        #expect(Municipality.allCases.count == 6)
        #expect(Area.amsterdamAreas.count == 8)
        #expect(Area.all.count == 13)
    }
}

@Suite("The posting life cycle")
struct PostingLifecycleTests {
    @Test func whichStatusMayFollowWhich() {
        #expect(Posting.Status.draft.next == [.published, .closed])
        #expect(Posting.Status.published.canMove(to: .filled))
        #expect(Posting.Status.published.canMove(to: .draft))
        #expect(!Posting.Status.draft.canMove(to: .filled), "a posting never published cannot be filled")
        #expect(!Posting.Status.filled.canMove(to: .draft))
        for status in Posting.Status.allCases {
            #expect(!status.canMove(to: status), "staying is not a move")
            #expect(Posting.Status.predecessors(of: status).allSatisfy { $0.canMove(to: status) })
        }
        #expect(Posting.StatusNotAllowed(from: .draft, to: .filled).message == "Een vacature die concept is, kan niet naar vervuld.")
    }
}

/// No password is common (the shipped list is tested where it lives).
struct NoList: PasswordList {
    func contains(_ password: String) -> Bool { false }
}
