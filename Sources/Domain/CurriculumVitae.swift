import Foundation

/// A CV an applicant attaches: a PDF or a Word file (DOCX), at most 5 MB. Its type is
/// told by its content, never by its name: a PDF starts with `%PDF-`, a DOCX is a ZIP
/// archive that holds `[Content_Types].xml` and a `word/` part.
public struct CurriculumVitae: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case pdf = "application/pdf"
        case docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

        public var fileExtension: String { self == .pdf ? "pdf" : "docx" }
    }

    public static let maximumBytes = 5 * 1024 * 1024

    public let fileName: String
    public let kind: Kind
    public let content: [UInt8]

    public init(fileName: String, kind: Kind, content: [UInt8]) {
        self.fileName = fileName
        self.kind = kind
        self.content = content
    }

    /// The file as uploaded, or the message for the applicant.
    public static func check(fileName: String, content: [UInt8]) -> Result<CurriculumVitae, ValidationErrors> {
        func refused(_ message: String) -> Result<CurriculumVitae, ValidationErrors> { .failure(ValidationErrors(field: "cv", message: message)) }
        guard !content.isEmpty else { return refused("Het bestand is leeg.") }
        guard content.count <= maximumBytes else {
            return refused("Het cv is te groot (\(megabytes(content.count)) MB); het mag hoogstens 5 MB zijn.")
        }
        guard let kind = kind(of: content) else {
            return refused("Het cv moet een PDF- of Word-bestand (.docx) zijn; dit bestand is geen van beide.")
        }
        return .success(CurriculumVitae(fileName: cleanName(fileName, kind: kind), kind: kind, content: content))
    }

    /// What the bytes are, by their content.
    public static func kind(of content: [UInt8]) -> Kind? {
        if content.starts(with: Array("%PDF-".utf8)) { return .pdf }
        // A ZIP archive (local file header) that is a Word document: the names of its
        // parts are stored in the clear in the local and central headers.
        if content.starts(with: [0x50, 0x4B, 0x03, 0x04]),
           contains(Array("[Content_Types].xml".utf8), in: content),
           contains(Array("word/document.xml".utf8), in: content) {
            return .docx
        }
        return nil
    }

    /// The name to offer on download: the uploaded name's letters, digits and a few
    /// marks, with the extension its content calls for.
    static func cleanName(_ name: String, kind: Kind) -> String {
        let base = (name.split(separator: "/").last.map(String.init) ?? name)
            .split(separator: "\\").last.map(String.init) ?? name
        let stem = base.range(of: ".", options: .backwards).map { String(base[..<$0.lowerBound]) } ?? base
        let kept = String(stem.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || " -_()".unicodeScalars.contains($0) }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        return String((kept.isEmpty ? "cv" : kept).prefix(120)) + "." + kind.fileExtension
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576).replacingOccurrences(of: ".", with: ",")
    }

    static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var index = haystack.startIndex
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

/// A phone number as applicants type it: digits, spaces, dashes, brackets, a leading +.
public enum PhoneNumber {
    /// The number as it is kept, nil when none was given, or the message.
    public static func parse(_ text: String) -> Result<String?, ValidationErrors> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .success(nil) }
        let digits = trimmed.filter(\.isNumber).count
        let allowed = trimmed.enumerated().allSatisfy { index, character in
            ("0"..."9").contains(character) || " -()".contains(character) || (index == 0 && character == "+")
        }
        guard allowed, (8...15).contains(digits), trimmed.count <= 23, trimmed.first != " " else {
            return .failure(ValidationErrors(field: "phone", message: "Geef een telefoonnummer met 8 tot 15 cijfers, bijvoorbeeld 06 1234 5678."))
        }
        return .success(trimmed)
    }
}
