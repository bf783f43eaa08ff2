import Domain
import Foundation
import Logging
import Mail
import ServiceLifecycle
import Store

/// What `serve` does beside answering requests, on every instance (each is safe to run
/// twice): the retention of rejected applications, hourly; the outbox, mailed through
/// SMTP when it is configured, otherwise closed as shown-only; and every five minutes
/// the academy's chores: telling people of a course withdrawal that held for an hour,
/// dropping unconfirmed uploads and import log lines past 12 months; every 5 minutes
/// the reminders (shifts, courses, meetings, credentials running out, saved postings
/// closing) and the job alerts that are due. A service of the
/// application: it stops on a graceful shutdown, before the pool.
struct BackgroundJobs: Service {
    let store: Store
    let mail: SMTPConfiguration?
    let retentionInterval: Duration
    let logger: Logger

    func run() async {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await retention() }
                group.addTask { await outbox() }
                group.addTask { await academy() }
                group.addTask { await reminders() }
            }
        }
    }

    private func retention() async {
        while !Task.isCancelled {
            do {
                let report = try await store.dataRights.applyRetention()
                logger.info("retention", metadata: ["applications.stripped": "\(report.applicationsStripped)"])
            } catch {
                logger.warning("retention failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: retentionInterval)
        }
    }

    private func academy() async {
        while !Task.isCancelled {
            do {
                let told = try await store.academy.notifyWithdrawals()
                let removed = try await store.academy.applyImportRetention()
                if told + removed.uploads + removed.logLines > 0 {
                    logger.info("academy", metadata: ["withdrawals.told": "\(told)", "uploads.removed": "\(removed.uploads)",
                                                      "imports.removed": "\(removed.logLines)"])
                }
            } catch {
                logger.warning("academy chores failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(300))
        }
    }

    /// Every 5 minutes: reminders that a VOG or registration runs out (8 and 2 weeks
    /// before), saved postings that close in three days, the job alerts that are due,
    /// and shifts (24 and 2 hours before), courses and meetings (7 days and 1 day
    /// before). Each goes once, whichever instance gets there first.
    private func reminders() async {
        while !Task.isCancelled {
            do {
                let today = Day(Date())
                let credentials = try await store.credentials.sendReminders(today: today)
                let closing = try await store.jobAlerts.remindClosing(today: today)
                let alerts = try await store.jobAlerts.sendAlerts()
                let near = try await store.reminders.sendDue()
                if credentials + closing + alerts + near > 0 {
                    logger.info("reminders", metadata: ["credentials": "\(credentials)", "closing": "\(closing)", "alerts": "\(alerts)",
                                                        "shifts.courses.meetings": "\(near)"])
                }
            } catch {
                logger.warning("reminders failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(300))
        }
    }

    private func outbox() async {
        if let mail {
            let name = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
            logger.info("mailing notifications", metadata: ["smtp.host": "\(mail.host):\(mail.port)", "sender": "\(name)"])
            await OutboxSender(store: store.notifications, client: SMTPClient(configuration: mail), name: name, logger: logger).run()
        } else {
            // Without mail, notifications are only shown; close them so that turning mail
            // on later does not send old news.
            while !Task.isCancelled {
                _ = try? await store.notifications.closeUnmailed(createdBefore: Date())
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }
}
