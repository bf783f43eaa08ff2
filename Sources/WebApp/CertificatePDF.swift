import Domain
import Foundation

/// A certificate as a one-page PDF (ISO 32000, version 1.4): A4, the standard
/// Helvetica fonts with WinAnsiEncoding (so Dutch accents print), and a correct
/// cross-reference table, written by hand: no PDF library is needed for text.
enum CertificatePDF {
    static func document(_ certificate: Certificate, siteURL: String) -> [UInt8] {
        var lines: [(font: String, size: Int, y: Int, text: String)] = []
        var y = 760
        func add(_ text: String, font: String = "F1", size: Int = 12, gap: Int = 20) {
            for piece in wrap(text, width: size >= 16 ? 45 : 80) {
                lines.append((font, size, y, piece))
                y -= gap
            }
        }
        add("Certificaat", font: "F2", size: 30, gap: 44)
        add("Jeugd Academie Amsterdam-Amstelland", size: 13, gap: 48)
        add("Hierbij verklaren wij dat", gap: 30)
        add(certificate.holderName, font: "F2", size: 22, gap: 36)
        add("de cursus", gap: 28)
        add(certificate.courseName, font: "F2", size: 16, gap: 26)
        add("van \(certificate.provider)", gap: 28)
        add("met goed gevolg heeft afgerond op \(certificate.completedOn.dutch).", gap: 32)
        if let points = certificate.points {
            let number = points == points.rounded() ? String(Int(points)) : String(format: "%.1f", points).replacingOccurrences(of: ".", with: ",")
            add("Accreditatie: \(number) \(points == 1 ? "punt" : "punten")" + (certificate.register.map { " (\($0))" } ?? "") + ".", gap: 32)
        }
        y -= 40
        add("Verificatiecode: \(certificate.code)", font: "F2", size: 14, gap: 22)
        add("Controleer de echtheid op \(siteURL)/certificaat/\(certificate.code)", size: 10, gap: 16)
        add("Daar staan alleen de naam, de cursus, de datum en de punten.", size: 10, gap: 16)

        var content = ""
        for line in lines {
            content += "BT /\(line.font) \(line.size) Tf 72 \(line.y) Td (\(escape(line.text))) Tj ET\n"
        }
        let stream = latin1(content)
        let objects: [[UInt8]] = [
            latin1("<< /Type /Catalog /Pages 2 0 R >>"),
            latin1("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            latin1("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"),
            latin1("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"),
            latin1("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"),
            latin1("<< /Length \(stream.count) >>\nstream\n") + stream + latin1("endstream"),
            latin1("<< /Title (\(escape("Certificaat \(certificate.courseName)"))) /Producer (Doorstroom) >>"),
        ]
        var out = latin1("%PDF-1.4\n") + [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.count)
            out += latin1("\(index + 1) 0 obj\n") + object + latin1("\nendobj\n")
        }
        let xref = out.count
        out += latin1("xref\n0 \(objects.count + 1)\n0000000000 65535 f \n")
        for offset in offsets { out += latin1(String(format: "%010d 00000 n \n", offset)) }
        out += latin1("trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 7 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
        return out
    }

    /// Text in a PDF string: backslash and parentheses escaped.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
    }

    /// WinAnsi bytes (Latin-1 for the letters Dutch uses); anything else becomes `?`.
    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { $0.value < 256 ? UInt8($0.value) : 0x3F }
    }

    /// Words into lines of at most `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [""] : lines
    }
}
