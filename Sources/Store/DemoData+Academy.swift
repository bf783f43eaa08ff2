import Domain
import Foundation
import PQ

extension DemoData {
    /// The Jeugd Academie's demo: about 60 courses of the member organisations, each
    /// imported as that organisation's own catalogue, with offerings in the coming months.
    func loadAcademy(today: Day, professionals: [UUID], priya: UUID) async throws {
        let subjects: [(String, String, [String], [String], CourseRecord.AccreditationRegister?, Double)] = [
            ("Verklarende Analyse", "Samen met het gezin een verklarende analyse maken: wat speelt er, hoe hangt het samen en wat betekent dat voor de hulp.",
             ["Verklarende Analyse", "methodisch werken"], ["jeugdhulpverlener", "gedragswetenschapper"], .skj, 18),
            ("Signs of Safety", "Werken met gezinnen aan veiligheid volgens Signs of Safety: zorgen, sterke kanten en een veiligheidsplan.",
             ["Signs of Safety", "veiligheid"], ["jeugdbeschermer", "jeugdhulpverlener"], .skj, 12),
            ("MST voor de praktijk", "Multisysteemtherapie: intensieve hulp thuis bij ernstig probleemgedrag, met het hele systeem rond de jongere.",
             ["MST", "gezinsbehandeling"], ["gezinscoach", "ambulant-hulpverlener"], .skj, 16),
            ("Veiligheid en crisis", "Inschatten van acute onveiligheid, de-escaleren en handelen in crisissituaties, met de meldcode.",
             ["veiligheid en crisis", "meldcode"], ["jeugdzorgwerker", "pedagogisch-medewerker"], .skj, 8),
            ("LVB herkennen en begeleiden", "Een licht verstandelijke beperking herkennen en je communicatie en begeleiding erop afstemmen.",
             ["LVB", "communicatie"], ["pedagogisch-medewerker", "jeugdzorgwerker"], .skj, 6),
            ("Scheiden zonder schade", "Kinderen en ouders ondersteunen bij een complexe scheiding, zodat kinderen er zo min mogelijk schade van hebben.",
             ["scheiden zonder schade", "ouderschap"], ["gezinscoach", "jeugdhulpverlener"], .skj, 10),
            ("Traumasensitief werken", "Wat trauma doet met kinderen en hoe je groep en gesprek traumasensitief inricht.",
             ["trauma", "jeugd-ggz"], ["pedagogisch-medewerker", "jeugdzorgwerker", "gz-psycholoog"], .nip, 12),
            ("Motiverende gespreksvoering", "Gespreksvaardigheden om ambivalentie te verkennen en motivatie voor verandering te versterken.",
             ["gespreksvoering", "motivatie"], ["jeugdhulpverlener", "ambulant-hulpverlener"], .skj, 8),
            ("Intervisie begeleiden", "Een intervisiegroep opzetten en begeleiden met bekende methoden: incidentmethode, roddelmethode en meer.",
             ["intervisie", "reflectie"], ["gedragswetenschapper", "teamleider"], .nvo, 6),
            ("Diagnostiek in de jeugd-GGZ", "Van hulpvraag tot classificatie en behandeladvies: diagnostisch proces en verslaglegging.",
             ["jeugd-ggz", "diagnostiek"], ["gz-psycholoog", "orthopedagoog"], .big, 14),
        ]
        let providers = ["altra", "de-bascule", "cordaan", "jbra", "kabouterhuis", "oktamsterdam", "spirit", "t-abc"]
        let formats: [CourseRecord.Format] = [.classroom, .blended, .onlineLive, .eLearning]
        let places = ["Nieuwe Achtergracht 100, Amsterdam", "Rijksstraatweg 145, Duivendrecht", "Online (Teams)", "Herengracht 218, Amsterdam"]
        var catalogues: [String: Catalogue] = [:]
        for index in 0..<60 {
            let subject = subjects[index % subjects.count]
            let provider = providers[index % providers.count]
            let format = formats[index % formats.count]
            let code = "\(provider.uppercased())-\(String(format: "%03d", index + 1))"
            let ownSystem = index % 9 == 4
            let level = index / subjects.count
            let course = CourseRecord(
                primaryCode: code, name: subject.0 + ["", ": verdieping", ": opfriscursus", " in de praktijk", " voor starters", ": train-de-trainer"][level % 6],
                description: subject.1, abbreviation: code, format: format, duration: format == .eLearning ? "PT8H" : "P\(1 + index % 3)D",
                link: ownSystem ? "https://academie.\(provider).example/\(code.lowercased())" : nil, enrolsHere: !ownSystem,
                topics: subject.2, targetFunctions: subject.3, targetDisciplines: [Discipline.allCases[index % 4].rawValue],
                studyHours: Double(6 + index % 4 * 6), register: index % 7 == 6 ? nil : subject.4,
                points: index % 7 == 6 ? nil : subject.5, accreditationNumber: index % 7 == 6 ? nil : "\(subject.4?.rawValue ?? "X")-\(2027)-\(10_000 + index * 37)",
                priceCents: index % 3 == 0 ? 0 : (95 + index % 5 * 40) * 100)
            var catalogue = catalogues[provider] ?? Catalogue()
            catalogue.courses.append(course)
            catalogue.namedCourseCodes.insert(code)
            // One to three offerings over the coming months; small ones fill up first.
            for run in 0..<(1 + index % 3) {
                let start = AmsterdamTime.adding(10 + (index * 11 + run * 35) % 150, to: today)
                let days = format == .eLearning ? 42 : 7 * (1 + index % 3)
                let sessions = format == .eLearning ? [] : (0..<(1 + index % 3)).map { week -> OfferingRecord.Session in
                    let day = AmsterdamTime.adding(7 * week, to: start)
                    return .init(start: AmsterdamTime.date(day, minutes: 9 * 60 + 30), end: AmsterdamTime.date(day, minutes: 16 * 60 + 30))
                }
                catalogue.offerings.append(OfferingRecord(
                    primaryCode: "\(code)-\(run + 1)", courseCode: code, startDate: start, endDate: AmsterdamTime.adding(days, to: start),
                    enrollStartDate: today, enrollEndDate: AmsterdamTime.adding(-3, to: start),
                    maxStudents: format == .eLearning ? nil : [4, 12, 16, 20][(index + run) % 4],
                    place: format == .eLearning ? nil : places[(index + run) % places.count], sessions: sessions))
            }
            // Two courses also ran three months ago (Priya completed them).
            if index < 2 {
                let start = AmsterdamTime.adding(-90, to: today)
                catalogue.offerings.append(OfferingRecord(
                    primaryCode: "\(code)-0", courseCode: code, startDate: start, endDate: AmsterdamTime.adding(14, to: start),
                    maxStudents: 16, place: places[index % places.count]))
            }
            catalogues[provider] = catalogue
        }
        for (provider, catalogue) in catalogues.sorted(by: { $0.key < $1.key }) {
            guard let organisation = try await store.organisations.find(slug: provider) else { continue }
            _ = try await store.academy.importCatalogue(catalogue, organisation: organisation.id, by: nil, source: .command, allowWithdraw: false)
        }

        // Small offerings fill up and get a waiting list; a few people elsewhere.
        let upcoming = try await store.pool.query(
            """
            SELECT x.id, coalesce(x.max_students, 0) FROM course_offering x JOIN course c ON c.id = x.course_id
            WHERE c.enrols_here AND x.start_date > \(today) ORDER BY x.start_date, x.primary_code, c.primary_code
            """
        ).decode((UUID, Int).self)
        for (index, (offering, maximum)) in upcoming.enumerated() {
            let count = maximum == 4 ? 6 : index % 3
            for person in professionals.dropFirst(index % max(1, professionals.count)).prefix(count) {
                _ = try? await store.academy.enrol(offering, account: person, today: today)
            }
        }
        // Priya: two completed SKJ courses (points on her record) and one coming up.
        _ = try await store.pool.query(
            """
            INSERT INTO enrolment (offering_id, account_id, status, requested_at, decided_at, points_awarded, register)
            SELECT x.id, \(priya), 'completed', now() - interval '100 days', now() - interval '70 days', c.points, c.register
            FROM course_offering x JOIN course c ON c.id = x.course_id WHERE x.end_date < \(today)
            """
        )
        if let (next, _) = upcoming.first(where: { _, maximum in maximum > 4 }) {
            _ = try? await store.academy.enrol(next, account: priya, today: today)
        }
        try await store.academy.logReflection(priya, kind: "intervision", heldOn: AmsterdamTime.adding(-30, to: today), hours: 2, note: "Intervisie team Oost")
    }
}
