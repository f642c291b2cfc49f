import Events
import Projections
import Testing

@Suite("Rates are exact and printed the Vietnamese way")
struct RateTests {
    @Test("8.046.000 of 600.000.000 is 1,341%")
    func reportRate() {
        let rate = Rate(Money(dong: 8_046_000), of: Money(dong: 600_000_000))
        #expect(rate?.milliPercent == 1_341)
        #expect(rate?.description == "1,341%")
        #expect(rate?.jsonNumber == "1.341")
    }

    @Test("rounding is half up at the thousandth of a percent", arguments: [
        (1, 3, 33_333),         // 33,3333…% → 33,333%
        (2, 3, 66_667),         // 66,6666…% → 66,667%
        (1, 200_000, 1),        // 0,0005% → 0,001%
        (1, 200_001, 0),        // just under half
        (5, 5, 100_000),
        (3, 2, 150_000),
    ] as [(Int64, Int64, Int64)])
    func rounding(part: Int64, whole: Int64, expected: Int64) {
        #expect(Rate(Money(dong: part), of: Money(dong: whole))?.milliPercent == expected)
    }

    @Test("no denominator, no rate")
    func zeroWhole() {
        #expect(Rate(Money(dong: 5), of: .zero) == nil)
    }

    @Test("huge amounts do not overflow")
    func huge() {
        let rate = Rate(Money(dong: Int64.max / 2), of: Money(dong: Int64.max))
        #expect(rate?.milliPercent == 50_000)
    }

    @Test("trailing zeros are dropped", arguments: [(100_000, "100%"), (60_500, "60,5%"), (0, "0%"), (1, "0,001%"), (10, "0,01%"), (1_341, "1,341%"), (-2_250, "-2,25%"), (123_456_789, "123456,789%")] as [(Int64, String)])
    func formatting(milli: Int64, text: String) {
        #expect(Rate(milliPercent: milli).description == text)
    }

    @Test("the JSON digits written straight to bytes are the JSON number", arguments: [0, 1, 10, 100, 1_341, 54, 60_500, 100_000, 123_456_789, -2_250] as [Int64])
    func jsonBytes(milli: Int64) {
        var writer = JSONWriter()
        writer.milliDecimal(milli)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == Rate(milliPercent: milli).jsonNumber)
    }
}
