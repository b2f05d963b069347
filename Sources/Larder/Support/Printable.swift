/// Text for a terminal or a log: control characters (C0, DEL and C1, which include the escape
/// sequences a terminal obeys) written as `\x1b`, so a source value quoted in an error message
/// or a rejects file cannot move the cursor, recolour or retitle the operator's terminal.
package func printable(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var result = ""
    for scalar in text.unicodeScalars {
        if isControl(scalar) {
            result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
}
