import ArgumentParser

@main
struct DoorstroomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doorstroom",
        abstract: "Doorstroom: the mobility platform of the youth-care organisations of Amsterdam-Amstelland.",
        subcommands: [Serve.self, Migrate.self, Seed.self, CreateAdmin.self, CreateAPIToken.self, Match.self, ImportCourses.self, Retention.self, Backup.self, Restore.self]
    )
}
