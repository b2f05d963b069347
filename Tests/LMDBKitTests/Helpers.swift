import LMDBKit

func key(_ text: String) -> [UInt8] { Array(text.utf8) }
func bytes(_ value: Int) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
func integer(_ bytes: UnsafeRawBufferPointer) -> Int { Int(bigEndian: bytes.loadUnaligned(as: Int.self)) }
func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
