/// The text of a spreadsheet file as an official's Excel writes it: UTF-8 (with or without a
/// byte-order mark), or Windows-1258, what Excel's plain "CSV" writes on a Vietnamese Windows.
/// Files in the older Vietnamese encodings TCVN3 (ABC, the .VnTime fonts) and VNI are recognised
/// and refused, with how to save them as UTF-8.
public enum VietnameseTextDecoding {
    /// How the bytes were read.
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", utf8WithBOM = "UTF-8 with BOM", windows1258 = "Windows-1258" }

    /// Windows-1258 (code page 1258) bytes 0x80–0xFF as Unicode scalars; 0 where the code page has
    /// no character. The tone marks (0xCC, 0xD2, 0xDE, 0xEC, 0xF2) are combining characters:
    /// Vietnamese in this code page is written base letter then tone, and is normalised to NFC after.
    static let windows1258High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0, 0x2039, 0x0152, 0, 0, 0,        // 0x80
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0, 0x203A, 0x0153, 0, 0, 0x0178,   // 0x90
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF, // 0xA0
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF, // 0xB0
        0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7, 0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF, // 0xC0
        0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF, // 0xD0
        0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF, // 0xE0
        0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7, 0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF, // 0xF0
    ]

    /// Byte sequences of header words as TCVN3 and VNI write them (read byte for byte): "Tªn nhiÖm
    /// vô", "Kinh phÝ", "Nguån vèn", "Thêi gian" in TCVN3; "Teân nhieäm vuï", "Nguoàn voán" in VNI.
    static let tcvn3Signatures: [[UInt8]] = [[0x54, 0xAA, 0x6E], [0x6E, 0x68, 0x69, 0xD6, 0x6D], [0x70, 0x68, 0xDD], [0x4E, 0x67, 0x75, 0xE5, 0x6E],
                                             [0x76, 0xE8, 0x6E], [0x54, 0x68, 0xEA, 0x69]]
    static let vniSignatures: [[UInt8]] = [[0x54, 0x65, 0xE2, 0x6E], [0x6E, 0x68, 0x69, 0x65, 0xE4, 0x6D], [0x4E, 0x67, 0x75, 0x6F, 0xE0, 0x6E],
                                           [0x76, 0x6F, 0xE1, 0x6E]]

    /// How to save a file as UTF-8, for the messages that refuse one.
    public static let saveAsUTF8 = "In Excel: File › Save As › \"CSV UTF-8 (Comma delimited) (*.csv)\"; in LibreOffice: File › Save As › Text CSV, Character set: Unicode (UTF-8)"

    /// The text of `bytes` and how it was read; throws naming the encoding it found and what to do.
    public static func decode(_ bytes: [UInt8], name: String) throws(TrackerError) -> (text: String, encoding: Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(validating: bytes.dropFirst(3), as: UTF8.self) else {
                throw TrackerError(.invalidArgument, "\(name) starts as UTF-8 (a byte-order mark) but is not valid UTF-8 after it; save it again as UTF-8. \(saveAsUTF8)")
            }
            return (Text.normalized(text), .utf8WithBOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw TrackerError(.invalidArgument, "\(name) is UTF-16 (Excel's \"Unicode Text\"); save it as CSV UTF-8 instead. \(saveAsUTF8)")
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (Text.normalized(text), .utf8) }
        func contains(_ needle: [UInt8]) -> Bool {
            guard needle.count <= bytes.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] && Array(bytes[start..<start + needle.count]) == needle { return true }
            return false
        }
        if tcvn3Signatures.contains(where: contains) {
            throw TrackerError(.invalidArgument, "\(name) is written in TCVN3 (ABC, the .VnTime fonts), which cannot be read reliably; convert it to Unicode (UniKey: Công cụ chuyển mã, TCVN3 (ABC) → Unicode) and save it as UTF-8. \(saveAsUTF8)")
        }
        if vniSignatures.contains(where: contains) {
            throw TrackerError(.invalidArgument, "\(name) is written in VNI (the VNI-Times fonts), which cannot be read reliably; convert it to Unicode (UniKey: Công cụ chuyển mã, VNI Windows → Unicode) and save it as UTF-8. \(saveAsUTF8)")
        }
        var scalars = String.UnicodeScalarView()
        for (offset, byte) in bytes.enumerated() {
            if byte < 0x80 { scalars.append(Unicode.Scalar(byte)); continue }
            let value = windows1258High[Int(byte) - 0x80]
            guard value != 0, let scalar = Unicode.Scalar(value) else {
                throw TrackerError(.invalidArgument, "\(name) is neither UTF-8 nor Windows-1258 (byte \(offset + 1) is 0x\(String(byte, radix: 16, uppercase: true)), which Windows-1258 does not use); save it as UTF-8. \(saveAsUTF8)")
            }
            scalars.append(scalar)
        }
        return (Text.normalized(String(scalars)), .windows1258)
    }
}
