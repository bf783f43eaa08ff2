import Domain
import Foundation
import PQ

extension DemoData {
    /// The flexpool's demo: every third generated professional (and Priya) in the pool
    /// with weekly availability over the next four weeks, and demand peaks at six
    /// organisations: most of it fillable, some not (a GZ-psycholoog at night in
    /// Uithoorn, more urgent nights than the pool can give). The matching then runs
    /// once and half its proposals are confirmed, so the board has all states.
    func loadFlexpool(professionals: [UUID], priya: UUID, coordinator: UUID, today: Day) async throws {
        func organisationID(_ slug: String) async throws -> UUID {
            try await store.pool.query("SELECT id FROM organisation WHERE slug = \(slug)").first(decoding: UUID.self)!
        }
        let start = AmsterdamTime.adding(1, to: today)
        let until = AmsterdamTime.adding(28, to: start)
        let shapes = [(8 * 60, 16 * 60 + 30), (15 * 60, 23 * 60), (22 * 60 + 30, 7 * 60 + 30), (9 * 60, 17 * 60)]
        var members: [(UUID, Int)] = [(priya, 0)]
        for (index, id) in professionals.enumerated() where index % 3 == 0 { members.append((id, index + 1)) }

        try await store.pool.transaction { tx in
            for (id, seed) in members {
                let (functions, disciplines, areas) = try await tx.query(
                    """
                    SELECT ARRAY(SELECT function_code FROM professional_function WHERE account_id = p.account_id ORDER BY 1),
                           p.disciplines, ARRAY(SELECT area_slug FROM professional_area WHERE account_id = p.account_id ORDER BY 1)
                    FROM professional p WHERE p.account_id = \(id)
                    """
                ).first!.decode(([String], [String], [String]).self)
                // Registrations where the functions need them (Priya has hers already).
                for code in functions {
                    guard let register = JobFunction.requiredRegister(for: code) else { continue }
                    _ = try await tx.query(
                        """
                        INSERT INTO registration (account_id, register, number, registered_on, expires_on)
                        VALUES (\(id), \(register), \(String(format: "%09d", 100_000_000 + seed * 7919)),
                                \(Day(year: today.year - 2, month: 1 + seed % 12, day: 1)!), \(Day(year: today.year + 3, month: 1 + seed % 12, day: 1)!))
                        ON CONFLICT DO NOTHING
                        """
                    )
                }
                // A VOG for everyone: most recent, one in eleven running out within the
                // four weeks (so the board shows what that costs), Priya's two years old.
                let vogAge = seed == 0 ? 730 : seed % 11 == 5 ? 3 * 365 - 6 - seed % 20 : 40 + (seed * 37) % 800
                _ = try await tx.query(
                    "UPDATE professional SET vog_issued_on = \(AmsterdamTime.adding(-vogAge, to: today)) WHERE account_id = \(id)")
                let neighbour = Area.all[(seed * 3 + 1) % Area.all.count].slug
                let allowed = Array(Set(areas + [neighbour])).sorted()
                _ = try await tx.query(
                    """
                    INSERT INTO pool_member (account_id, weekly_cap_hours, calendar_token)
                    VALUES (\(id), \([8, 12, 16, 24][seed % 4]), \(FlexpoolStore.newCalendarToken()))
                    """
                )
                _ = try await tx.query("INSERT INTO pool_member_function (account_id, function_code) SELECT \(id), unnest(\(functions)::text[])")
                _ = try await tx.query("INSERT INTO pool_member_discipline (account_id, discipline) SELECT \(id), unnest(\(disciplines)::text[])")
                _ = try await tx.query(
                    """
                    INSERT INTO pool_member_area (account_id, area_slug, preferred)
                    SELECT \(id), a, a = \(areas.first ?? "") FROM unnest(\(allowed)::text[]) AS a
                    """
                )
                // Two or three weekdays a week, each in one of the shapes.
                for weekday in [1 + seed % 7, 1 + (seed + 2) % 7, 1 + (seed + 4) % 7].prefix(2 + seed % 2) {
                    let shape = shapes[(seed + weekday) % shapes.count]
                    let pattern = WeeklyPattern(weekday: weekday, startMinutes: shape.0, endMinutes: shape.1, from: start, until: until)
                    let windows = pattern.windows()
                    let patternID = try await tx.query(
                        """
                        INSERT INTO pool_availability_pattern (account_id, weekday, start_minutes, end_minutes, first_day, last_day)
                        VALUES (\(id), \(weekday), \(shape.0), \(shape.1), \(start), \(until)) RETURNING id
                        """
                    ).first(decoding: UUID.self)!
                    _ = try await tx.query(
                        """
                        INSERT INTO pool_availability (account_id, during, pattern_id)
                        SELECT \(id), tstzrange(s, e, '[)'), \(patternID)
                        FROM unnest(\(windows.map(\.start))::timestamptz[], \(windows.map(\.end))::timestamptz[]) AS t(s, e)
                        """
                    )
                }
            }
        }

        // Demand at six organisations: most of it shaped after the pool's own
        // availability (so the pool can fill it), some at times and places nobody
        // offers.
        let demanding = ["altra", "cordaan", "de-bascule", "spirit", "jbra", "kabouterhuis"]
        let offers = try await store.pool.query(
            """
            SELECT lower(av.during), upper(av.during),
                   (SELECT min(function_code) FROM pool_member_function f WHERE f.account_id = av.account_id),
                   (SELECT min(area_slug) FROM pool_member_area a WHERE a.account_id = av.account_id AND a.preferred),
                   (SELECT min(o.slug) FROM employment e JOIN organisation o ON o.id = e.organisation_id
                    WHERE e.account_id = av.account_id AND e.ended_on IS NULL)
            FROM pool_availability av
            ORDER BY lower(av.during), av.account_id
            """
        ).decode((Date, Date, String?, String?, String?).self)
        // Two locations: Altra's De Schans asks for an induction first, and a quarter of
        // the pool has had one there; Cordaan's Groepswonen Noord does not.
        let schans = try await store.flexpool.saveLocation(
            nil, organisation: try await organisationID("altra"), name: "De Schans", address: "Schansweg 12, 1094 AB Amsterdam",
            contact: "Teamleider Noor de Wit, 020 555 0101", instructions: "Meld je bij de groepsleiding op de eerste verdieping.", by: coordinator)!
        _ = try await store.flexpool.setNeedsInduction(schans, true, organisations: nil, by: coordinator)
        _ = try await store.flexpool.saveLocation(
            nil, organisation: try await organisationID("cordaan"), name: "Groepswonen Noord", address: "Buikslotermeerplein 3, 1025 XL Amsterdam",
            contact: "", instructions: "", by: coordinator)
        for (index, (id, _)) in members.enumerated() where index % 4 == 1 {
            _ = try await store.flexpool.recordInduction(id, at: schans, on: AmsterdamTime.adding(-30 - index, to: today), organisations: nil, by: coordinator)
        }
        var demands: [ShiftDemand] = []
        for (index, offer) in offers.enumerated() where index % 3 == 0 {
            guard let function = offer.2, let area = offer.3 else { continue }
            let organisation = demanding.filter { $0 != offer.4 }[index % (demanding.count - 1)]
            // The shift sits inside the window, at most 8 hours.
            let start = offer.0, end = min(offer.1, offer.0.addingTimeInterval(8 * 3600))
            demands.append(ShiftDemand(
                qualification: function, organisationSlug: organisation, areaSlug: area, shift: TimeWindow(start: start, end: end),
                peopleNeeded: 1 + index % 2, priority: index % 4 == 0 ? .urgent : .normal,
                note: index % 5 == 0 ? "Piek door ziekte in het team." : "",
                location: organisation == "altra" && index % 2 == 0 ? "De Schans" : organisation == "cordaan" && index % 2 == 0 ? "Groepswonen Noord" : nil))
        }
        let qualifications = ["jeugdhulpverlener", "pedagogisch-medewerker", "jeugdzorgwerker", "jeugdhulp", "lvb", "jeugdbeschermer", "ggz"]
        for index in 0..<12 {
            let day = AmsterdamTime.adding(1 + (index * 5) % 27, to: start)
            let shape = shapes[(index + AmsterdamTime.weekday(of: day)) % shapes.count]
            let endDay = shape.1 > shape.0 ? day : AmsterdamTime.adding(1, to: day)
            demands.append(ShiftDemand(
                qualification: qualifications[index % qualifications.count], organisationSlug: demanding[index % demanding.count],
                areaSlug: Area.all[(index * 7) % Area.all.count].slug,
                shift: TimeWindow(start: AmsterdamTime.date(day, minutes: shape.0), end: AmsterdamTime.date(endDay, minutes: shape.1)),
                peopleNeeded: 1 + index % 3, priority: index % 4 == 0 ? .urgent : .normal, note: ""))
        }
        // What the pool cannot give.
        let hard = AmsterdamTime.adding(3, to: start)
        demands.append(ShiftDemand(
            qualification: "gz-psycholoog", organisationSlug: "de-bascule", areaSlug: "uithoorn",
            shift: TimeWindow(start: AmsterdamTime.date(hard, minutes: 23 * 60), end: AmsterdamTime.date(AmsterdamTime.adding(1, to: hard), minutes: 7 * 60)),
            peopleNeeded: 2, priority: .urgent, note: "Crisisopvang: nachtdienst."))
        try await store.flexpool.post(demands, by: coordinator)

        // One run over the four weeks, then half of it confirmed.
        let period = TimeWindow(start: AmsterdamTime.date(start, minutes: 0), end: AmsterdamTime.date(AmsterdamTime.adding(28, to: start), minutes: 0))
        _ = try await store.flexpool.runMatching(period: period, organisations: nil, by: coordinator)
        let lines = try await store.flexpool.demands(in: period, organisations: nil)
        let proposals = try await store.flexpool.assignments(on: lines.map(\.id), since: Date()).filter { $0.status == .proposed }
        for (index, proposal) in proposals.enumerated() where index % 2 == 0 && proposal.accountID != priya {
            try? await store.flexpool.confirm(proposal.id, by: coordinator)
        }
        // After the run, an open shift for Priya to claim: Altra, Oost, in her availability.
        if let pattern = try await store.flexpool.patterns(priya).first, let window = pattern.pattern.windows().dropFirst().first {
            try await store.flexpool.post([ShiftDemand(
                qualification: "jeugdhulpverlener", organisationSlug: "altra", areaSlug: "oost", shift: window,
                peopleNeeded: 1, priority: .normal, note: "Extra dienst in de crisisgroep.")], by: coordinator)
        }
    }
}
