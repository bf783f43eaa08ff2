/// The mails about an account itself. Their links carry a single-use token.
extension AccountNotification {
    public static func confirmEmail(link: String) -> AccountNotification {
        AccountNotification(
            kind: .accountMail, subject: "Bevestig je e-mailadres voor Doorstroom",
            body: "Welkom bij Doorstroom. Bevestig je e-mailadres met de link hieronder; daarna kun je solliciteren. De link werkt 24 uur en één keer.\n\nHeb jij geen account aangemaakt? Dan kun je deze mail negeren.",
            link: link)
    }

    public static func passwordReset(link: String) -> AccountNotification {
        AccountNotification(
            kind: .accountMail, subject: "Een nieuw wachtwoord voor Doorstroom",
            body: "Iemand (hopelijk jij) vroeg een nieuw wachtwoord aan voor je account. Kies het met de link hieronder; hij werkt een uur en één keer. Daarna ben je overal uitgelogd.\n\nHeb je niets aangevraagd? Dan hoef je niets te doen: je wachtwoord blijft hetzelfde.",
            link: link)
    }

    public static func invitation(organisation: String, inviter: String, link: String) -> AccountNotification {
        AccountNotification(
            kind: .accountMail, subject: "\(organisation) nodigt je uit voor Doorstroom",
            body: "\(inviter) van \(organisation) heeft een account voor je klaargezet op Doorstroom, het platform van de jeugdhulp in Amsterdam-Amstelland: vacatures, de flexpool en de Jeugd Academie. Kies met de link hieronder je wachtwoord; hij werkt zeven dagen en één keer.",
            link: link)
    }

    /// Somebody tried to register an address that has an account already.
    public static func registeredAgain() -> AccountNotification {
        AccountNotification(
            kind: .accountMail, subject: "Je hebt al een account bij Doorstroom",
            body: "Iemand probeerde met dit e-mailadres een nieuw account aan te maken, maar je hebt er al een. Was jij dat? Log dan in, of vraag een nieuw wachtwoord aan als je het niet meer weet. Was jij het niet? Dan hoef je niets te doen.",
            link: "/wachtwoord-vergeten")
    }
}
