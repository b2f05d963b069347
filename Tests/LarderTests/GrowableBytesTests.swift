import Testing

@testable import Larder

@Suite struct GrowableBytesTests {
    func contents(_ bytes: borrowing GrowableBytes) -> [UInt8] { bytes.withBytes { Array($0) } }

    @Test func growingKeepsTheBytesInUse() {
        var bytes = GrowableBytes(capacity: 1)
        for value in 0..<200 { bytes.append(UInt8(value)) }
        #expect(contents(bytes) == (0..<200).map(UInt8.init))
        #expect(bytes.capacity >= 200)
        [UInt8](repeating: 7, count: 1000).withUnsafeBytes { bytes.append($0) }
        #expect(bytes.count == 1200)
        #expect(contents(bytes).suffix(1000) == ArraySlice(repeating: 7, count: 1000))
    }

    @Test func removingTheFirstBytesMovesTheRestToTheFront() {
        var bytes = GrowableBytes(capacity: 8)
        [UInt8](1...10).withUnsafeBytes { bytes.append($0) }
        bytes.removeFirst(3)
        #expect(contents(bytes) == [4, 5, 6, 7, 8, 9, 10])
        bytes.removeFirst(7)
        #expect(bytes.count == 0)
    }

    @Test func writingInPlaceCountsOnlyWhatWasWritten() {
        var bytes = GrowableBytes(capacity: 4)
        bytes.append(1)
        bytes.reserve(10)
        let spare = bytes.spare
        #expect(spare.count >= 10)
        spare[0] = 2
        spare[1] = 3
        bytes.didAppend(2)
        bytes.appendDecimal(-1234)
        #expect(contents(bytes) == [1, 2, 3] + Array("-1234".utf8))
        bytes.removeAll()
        #expect(bytes.count == 0)
    }
}
