import Domain
import Foundation
import PQ

extension DemoData {
    /// The learning network's demo: an intervision group of five from three
    /// organisations and three disciplines (Priya among them), a session last week whose
    /// attendance the facilitator confirmed and one in two weeks; two people still
    /// waiting for a group; and training wishes on trauma, agressie and LVB, some with
    /// "ik ook".
    func loadLearningNetwork(professionals: [UUID], priya: UUID, coordinator: UUID, today: Day) async throws {
        guard professionals.count >= 12 else { return }
        let learning = LearningNetworkStore(pool: store.pool)
        let people = [priya] + Array(professionals[1...6])
        let disciplines: [Discipline] = [.jeugdhulp, .ggz, .lvb, .jeugdhulp, .jeugdbescherming, .ggz, .lvb]
        for (index, (person, discipline)) in zip(people, disciplines).enumerated() {
            try await learning.askToJoin(person, discipline: discipline, availability: ["dinsdagmiddag", "donderdagochtend", "om de zes weken"][index % 3])
        }
        let requests = try await learning.openRequests()
        let chosen = requests.filter { Array(people.prefix(5)).contains($0.accountID) && $0.organisationID != nil }
        guard IntervisionRule.problems(chosen.map { (organisation: $0.organisationID!, discipline: $0.discipline) }).isEmpty else { return }
        let group = try await learning.formGroup(
            name: "Intervisie Oost-Zuidoost", theme: "Samenwerken rond gezinnen met meerdere hulpverleners",
            facilitator: professionals[11], requests: chosen.map(\.id), by: coordinator)
        let last = AmsterdamTime.adding(-7, to: today), next = AmsterdamTime.adding(14, to: today)
        _ = try await learning.addSession(group: group, during: TimeWindow(start: AmsterdamTime.date(last, minutes: 14 * 60), end: AmsterdamTime.date(last, minutes: 16 * 60)),
                                          place: "Buurthuis De Kraal, Amsterdam")
        _ = try await learning.addSession(group: group, during: TimeWindow(start: AmsterdamTime.date(next, minutes: 14 * 60), end: AmsterdamTime.date(next, minutes: 16 * 60)),
                                          place: "Buurthuis De Kraal, Amsterdam")
        if let session = try await learning.groups().first(where: { $0.id == group })?.sessions.first {
            try await learning.confirmAttendance(session: session.id, present: chosen.prefix(4).map(\.accountID), by: professionals[11])
        }
        let wishes = [
            ("trauma", "Steeds meer jongeren met complex trauma op de groep.", [priya, professionals[7], professionals[8]]),
            ("agressie", "De-escaleren bij fysieke agressie, met oefenen.", [professionals[9], professionals[10], professionals[2], professionals[3]]),
            ("lvb", "Signalen van een licht verstandelijke beperking eerder zien.", [professionals[4]]),
        ]
        for (topic, why, askers) in wishes {
            let wish = try await learning.addWish(topic: topic, why: why, by: askers[0])
            for other in askers.dropFirst() { _ = try await learning.support(wish, by: other) }
        }
    }
}
