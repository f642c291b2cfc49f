/// Encodes as a JSON integer of đồng (`600000000`), and decodes only that:
/// a fraction, a string or a value outside `Int64` is a decoding error.
extension Money: Codable {
    /// Decodes an integer number of đồng; negative values are accepted
    /// because stored differences may be negative.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(dong: try container.decode(Int64.self))
    }

    /// Encodes the amount as an integer number of đồng.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dong)
    }
}
