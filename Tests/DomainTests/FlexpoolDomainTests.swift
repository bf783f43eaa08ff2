import Domain
import Foundation
import Testing

@Suite("Flexpool input and time")
struct FlexpoolDomainTests {
    static let today = Day(year: 2027, month: 3, day: 1)!
    static let now = AmsterdamTime.date(today, minutes: 9 * 60)

    @Test func weeklyPatternsExpandInAmsterdamTimeAcrossSummerTime() throws {
        // Tuesdays 08:00-17:00 from 1 March to 6 April 2027: summer time starts 28 March.
        let pattern = try WeeklyPattern.parse(weekday: "2", start: "08:00", end: "17:00", from: "2027-03-01", until: "2027-04-06", today: Self.today)
        let windows = pattern.windows()
        #expect(windows.count == 6)
        #expect(windows.allSatisfy { $0.hours == 9 })
        #expect(windows.allSatisfy { AmsterdamTime.clock($0.start) == "08:00" })
        // 08:00 is 07:00 UTC in winter and 06:00 UTC in summer.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        #expect(utc.component(.hour, from: windows.first!.start) == 7)
        #expect(utc.component(.hour, from: windows.last!.start) == 6)
        #expect(pattern.summary == "elke dinsdag 08:00–17:00 van 01-03-2027 tot en met 06-04-2027")
    }

    @Test func aNightPatternEndsTheNextMorning() throws {
        let pattern = try WeeklyPattern.parse(weekday: "5", start: "22:30", end: "07:00", from: "", until: "2027-03-31", today: Self.today)
        let windows = pattern.windows()
        #expect(windows.count == 4)
        #expect(windows.allSatisfy { $0.hours == 8.5 })
        #expect(windows.allSatisfy { AmsterdamTime.weekday(of: Day($0.start)) == 5 && AmsterdamTime.weekday(of: Day($0.end)) == 6 })
    }

    @Test func badPatternsAndWindowsAreNamedPerField() {
        do {
            _ = try WeeklyPattern.parse(weekday: "8", start: "8", end: "24:00", from: "2027-02-01", until: "morgen", today: Self.today)
            Issue.record("accepted")
        } catch {
            #expect(error["weekday"] == "Kies een dag van de week.")
            #expect(error["start"] == "Geef de begintijd als UU:MM.")
            #expect(error["end"] == "Geef de eindtijd als UU:MM.")
            #expect(error["from"] == "Kies vandaag of later.")
            #expect(error["until"] != nil)
        }
        #expect(throws: ValidationErrors.self) {
            try WeeklyPattern.parse(weekday: "1", start: "08:00", end: "17:00", from: "2027-03-01", until: "2028-06-01", today: Self.today)
        }
        do {
            _ = try TimeWindow.parse(fromDay: "2027-03-02", fromTime: "17:00", untilDay: "2027-03-02", untilTime: "09:00", today: Self.today)
            Issue.record("accepted")
        } catch {
            #expect(error["until_day"] == "Het einde moet na het begin liggen.")
        }
    }

    @Test func demandInputAndNightShifts() throws {
        let organisations: Set<String> = ["altra"]
        let functions: Set<String> = ["jeugdhulpverlener"]
        let night = try ShiftDemand.parse(
            ["organisation": "altra", "area": "noord", "qualification": "ggz", "date": "03-03-2027", "start": "23:00", "end": "07:00",
             "people": "2", "priority": "spoed"], organisations: organisations, functionCodes: functions, now: Self.now)
        #expect(night.shift.hours == 8)
        #expect(night.priority == .urgent)
        #expect(night.qualification == "ggz")
        do {
            _ = try ShiftDemand.parse(
                ["organisation": "cordaan", "area": "noord", "qualification": "piloot", "date": "2027-03-01", "start": "08:00", "end": "08:00",
                 "people": "51", "priority": "heel erg"], organisations: organisations, functionCodes: functions, now: Self.now)
            Issue.record("accepted")
        } catch {
            #expect(error["organisation"] != nil)
            #expect(error["qualification"] == "Kies een functie of discipline uit de lijst.")
            #expect(error["people"] != nil)
            #expect(error["priority"] == "Kies spoed of normaal.")
            #expect(error["end"] == "Een dienst duurt hoogstens 16 uur.")
        }
    }

    @Test func demandCSVHandlesQuotesSeparatorsBOMAndReportsEveryBadLine() {
        let text = "\u{FEFF}Organisatie,Gebied,Functie,Datum,Begin,Eind,Aantal,Prioriteit,Opmerking\r\n"
            + "altra,oost,jeugdhulpverlener,2027-03-04,08:00,16:00,1,normaal,\"Piek, ziekte \"\"griep\"\"\r\ntweede regel\"\r\n"
            + "altra,oost,jeugdhulpverlener,2027-03-04,08:00,16:00,x,normaal,\n"
            + "\n"
            + "altra,oost,jeugdhulpverlener,2027-03-05,08:00,16:00,1,,\n"
        switch DemandCSV.parse(text, organisations: ["altra"], functionCodes: ["jeugdhulpverlener"], now: Self.now) {
        case .success: Issue.record("a bad line was accepted")
        case .failure(let problems):
            #expect(problems.lines.map(\.line) == [4])
            #expect(problems.lines[0].message.contains("aantal mensen"))
        }
        let good = text.replacingOccurrences(of: ",x,", with: ",2,")
        switch DemandCSV.parse(good, organisations: ["altra"], functionCodes: ["jeugdhulpverlener"], now: Self.now) {
        case .failure(let problems): Issue.record("refused: \(problems)")
        case .success(let demands):
            #expect(demands.count == 3)
            #expect(demands[0].note == "Piek, ziekte \"griep\"\r\ntweede regel" || demands[0].note == "Piek, ziekte \"griep\"\ntweede regel")
            #expect(demands[1].peopleNeeded == 2)
            #expect(demands[2].priority == .normal)
        }
        switch DemandCSV.parse("datum;begin\n2027-03-04;08:00\n", organisations: ["altra"], functionCodes: [], now: Self.now) {
        case .success: Issue.record("accepted without columns")
        case .failure(let problems): #expect(problems.lines[0].message.hasPrefix("Kolommen ontbreken: organisation, area, qualification"))
        }
    }

    @Test func poolMembershipIsCheckedAgainstTheProfileAndRegistrations() throws {
        let professional = Professional(
            accountID: UUID(), educationLevel: .hbo, functionCodes: ["jeugdhulpverlener", "pedagogisch-medewerker"], disciplines: [.jeugdhulp],
            areaSlugs: ["oost"], interests: [.flexpool], hoursPerWeek: 32,
            registrations: [Registration(register: .skj, number: "11001234", registeredOn: Day(year: 2020, month: 1, day: 1)!,
                                         expiresOn: Day(year: 2027, month: 2, day: 1)!)])
        func input(_ functions: [String], disciplines: [String] = [], areas: [String] = ["oost"], preferred: [String] = [], cap: String = "12") -> PoolMembership.Input {
            PoolMembership.Input(functions: functions, disciplines: disciplines, areas: areas, preferredAreas: preferred, weeklyCap: cap)
        }
        // The SKJ registration expired a month ago: no jeugdhulpverlener shifts.
        do {
            _ = try PoolMembership.parse(input(["jeugdhulpverlener"]), professional: professional, today: Self.today)
            Issue.record("accepted an expired registration")
        } catch {
            #expect(error["functions"]?.contains("SKJ") == true)
        }
        let ok = try PoolMembership.parse(input(["pedagogisch-medewerker"], disciplines: ["jeugdhulp"], areas: ["oost", "west"], preferred: ["oost"]),
                                          professional: professional, today: Self.today)
        #expect(ok.qualifications == ["pedagogisch-medewerker", "jeugdhulp"])
        #expect(ok.preferredAreaSlugs == ["oost"])
        do {
            _ = try PoolMembership.parse(input([], disciplines: ["ggz"], areas: [], cap: "41"), professional: professional, today: Self.today)
            Issue.record("accepted")
        } catch {
            #expect(error["disciplines"] != nil)
            #expect(error["areas"] != nil)
            #expect(error["weekly_cap"] != nil)
        }
    }
}
