import Domain
import Foundation

extension DemoData {
    /// A few ontmoetingen in the coming weeks: a regional rotation meetup, an open day
    /// and a group shadow day.
    func loadMeetings(today: Day, organisations: [String: UUID], by author: UUID) async throws {
        func at(_ days: Int, _ from: Int, _ until: Int) -> TimeWindow {
            let day = AmsterdamTime.adding(days, to: today)
            return TimeWindow(start: AmsterdamTime.date(day, minutes: from * 60), end: AmsterdamTime.date(day, minutes: until * 60))
        }
        let meetings: [(String?, MeetingForm)] = [
            (nil, MeetingForm(kind: .rotationMeetup, title: "Roulatiecafé: kennismaken met collega's elders",
                              description: "Jeugdhulpverleners, gedragswetenschappers en jeugdbeschermers die willen rouleren ontmoeten elkaar. Met verhalen van collega's die het al deden.\n\nKoffie en soep staan klaar.",
                              place: "Pakhuis de Zwijger, Piet Heinkade 179, Amsterdam", during: at(16, 15, 18), places: 40)),
            ("cordaan", MeetingForm(kind: .openDay, title: "Open dag jeugdhulp Cordaan",
                                    description: "Kijk rond op onze locaties voor jeugd en gezin en praat met teams over werken bij Cordaan.",
                                    place: "Cordaan, Baarsjesweg 224, Amsterdam", during: at(23, 10, 15), places: 25)),
            ("altra", MeetingForm(kind: .shadowDay, title: "Meeloopdag in een onderwijs-zorggroep",
                                  description: "Een dag meelopen in een klas waar onderwijs en jeugdhulp samenwerken.",
                                  place: "Altra College Zuidoost, Amsterdam", during: at(30, 8, 16), places: 6)),
        ]
        for (slug, meeting) in meetings {
            _ = try await store.meetings.create(meeting, organisation: slug.flatMap { organisations[$0] }, by: author)
        }
    }
}
