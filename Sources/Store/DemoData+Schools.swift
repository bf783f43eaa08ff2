import Domain
import Foundation
import PQ

extension DemoData {
    /// Two partner schools (ROC van Amsterdam for mbo, the Hogeschool van Amsterdam for
    /// hbo) with an internship coordinator at the HvA; this year's mbo and hbo agreements
    /// of Cordaan, Spirit and de Bascule name them. The demo student studies Social Work
    /// at the HvA, lets the school follow their applications and applied to an
    /// internship; three more students (one without that consent) did too.
    func loadSchools(hashes: [String: String], student: UUID, organisations: [String: UUID], today: Day) async throws {
        try await store.pool.transaction { tx in
            var schools: [String: UUID] = [:]
            for (slug, name) in [("roc-van-amsterdam", "ROC van Amsterdam"), ("hva", "Hogeschool van Amsterdam")] {
                schools[slug] = try await tx.query(
                    """
                    INSERT INTO organisation (slug, name, kind, municipality_slug, active, website)
                    VALUES (\(slug), \(name), 'school', 'amsterdam', true, \("https://www.\(slug).doorstroom.test")) RETURNING id
                    """
                ).first(decoding: UUID.self)!
            }
            let coordinator = try await tx.query(
                """
                INSERT INTO account (email, display_name, password_hash, email_confirmed_at)
                VALUES ('stage@hva.doorstroom.test', 'Nadia Bouali (stagebureau HvA)', \(hashes["stage@hva.doorstroom.test"]!), now()) RETURNING id
                """
            ).first(decoding: UUID.self)!
            _ = try await tx.query(
                "INSERT INTO role_grant (account_id, role, organisation_id) VALUES (\(coordinator), 'internship_coordinator', \(schools["hva"]!))")
            for (organisation, level, school, programme) in [
                ("cordaan", "mbo", "roc-van-amsterdam", "Pedagogisch medewerker jeugdzorg"), ("spirit", "mbo", "roc-van-amsterdam", "Pedagogisch medewerker jeugdzorg"),
                ("cordaan", "hbo", "hva", "Social Work"), ("spirit", "hbo", "hva", "Social Work"), ("de-bascule", "hbo", "hva", "Toegepaste Psychologie"),
            ] {
                _ = try await tx.query(
                    """
                    UPDATE internship_agreement SET school_id = \(schools[school]!), programme = \(programme)
                    WHERE organisation_id = \(organisations[organisation]!) AND education_level = \(level) AND year = \(today.year)
                    """)
            }
            // Students: the demo's own, and three more without a password.
            var students = [(student, "hva", "Social Work", "hbo", true)]
            for (index, (name, school, programme, level, consents)) in [
                ("Mila Verhoef", "hva", "Social Work", "hbo", true), ("Ahmed Ouali", "hva", "Pedagogiek", "hbo", false),
                ("Jill de Ruiter", "roc-van-amsterdam", "Pedagogisch medewerker jeugdzorg", "mbo", true),
            ].enumerated() {
                let id = try await tx.query(
                    "INSERT INTO account (email, display_name, email_confirmed_at) VALUES (\("student.\(index + 1)@\(school).doorstroom.test"), \(name), now()) RETURNING id"
                ).first(decoding: UUID.self)!
                _ = try await tx.query("INSERT INTO role_grant (account_id, role) VALUES (\(id), 'student')")
                students.append((id, school, programme, level, consents))
            }
            for (index, (id, school, programme, level, consents)) in students.enumerated() {
                let schoolName = school == "hva" ? "Hogeschool van Amsterdam" : "ROC van Amsterdam"
                _ = try await tx.query(
                    "INSERT INTO student (account_id, school, programme, level, school_id) VALUES (\(id), \(schoolName), \(programme), \(level), \(schools[school]!))")
                if consents { _ = try await tx.query("INSERT INTO consent (account_id, purpose) VALUES (\(id), 'school_applications')") }
                // An application to an open internship or traineeship of their level (any level when none).
                _ = try await tx.query(
                    """
                    INSERT INTO application (posting_id, applicant_id, motivation, status)
                    SELECT p.id, \(id), 'Ik zoek een stageplek waar ik veel kan leren over de jeugdzorg.', \(index % 2 == 0 ? "submitted" : "in_review")
                    FROM posting p
                    WHERE p.kind IN ('internship', 'traineeship') AND p.status = 'published' AND (p.closing_date IS NULL OR p.closing_date >= \(today))
                      AND (p.internal_until IS NULL OR p.internal_until < \(today))
                    ORDER BY (p.education_level = \(level)) DESC NULLS LAST, p.published_at DESC, p.id
                    OFFSET \(index % 2) LIMIT 1
                    ON CONFLICT DO NOTHING
                    """)
            }
        }
    }

    /// A regional career adviser with times on the coming weekdays (10:00 and 14:00,
    /// an hour each); a generated professional booked the first one, about rotation.
    func loadCareerConversations(hashes: [String: String], professionals: [UUID], today: Day) async throws {
        try await store.pool.transaction { tx in
            let adviser = try await tx.query(
                """
                INSERT INTO account (email, display_name, password_hash, email_confirmed_at)
                VALUES ('loopbaan@doorstroom.test', 'Ellen Postma (loopbaanadviseur)', \(hashes["loopbaan@doorstroom.test"]!), now()) RETURNING id
                """
            ).first(decoding: UUID.self)!
            _ = try await tx.query("INSERT INTO role_grant (account_id, role) VALUES (\(adviser), 'career_adviser')")
            var slots: [UUID] = []
            for offset in 1...14 {
                let day = AmsterdamTime.adding(offset, to: today)
                guard AmsterdamTime.weekday(of: day) <= 5 else { continue }
                for (hour, place) in [(10, "Online (de link staat in de uitnodiging)"), (14, "Regiokantoor Jeugd, Wibautstraat 3, Amsterdam")] {
                    slots.append(try await tx.query(
                        """
                        INSERT INTO career_slot (adviser_id, during, place)
                        VALUES (\(adviser), tstzrange(\(AmsterdamTime.date(day, minutes: hour * 60)), \(AmsterdamTime.date(day, minutes: hour * 60 + 60)), '[)'), \(place))
                        RETURNING id
                        """
                    ).first(decoding: UUID.self)!)
                }
            }
            if let first = slots.first, let person = professionals.first {
                _ = try await tx.query(
                    """
                    INSERT INTO career_booking (slot_id, account_id, topic, question)
                    VALUES (\(first), \(person), 'rotation', 'Ik wil een half jaar bij een lokaal team meedraaien. Kan dat naast mijn werk?')
                    """)
            }
        }
    }
}
