extension Money {
    /// Parses an amount written the Vietnamese way or as plain digits;
    /// throws a ``MoneyParseError`` naming what was wrong.
    ///
    /// Accepted: plain digits ("600000000"); `.` grouping thousands in groups
    /// of exactly three ("600.000.000"); `,` as the decimal mark ("1,7 tỷ",
    /// "1.234,5 triệu"); an optional unit after the number, with or without a
    /// space: đ, đồng, dong, VND, nghìn/ngàn, triệu/tr, tỷ/tỉ, unaccented or
    /// not, in any case, NFC or NFD ("600tr", "600 Triệu", "1,7 TỶ"); a unit
    /// followed by "đồng" ("600 triệu đồng"); surrounding whitespace.
    /// "0" is accepted; callers that need a positive amount reject zero.
    ///
    /// Rejected, each with its ``MoneyParseError/Reason``: a minus sign
    /// (`negative`); an amount finer than one đồng (`fractionalDong`); more
    /// than `Int64.max` đồng (`overflow`); forms that could be read two ways,
    /// such as "1.7 tỷ", "1,234.5", "1,234,567", ".5", "5.", "600 000 000",
    /// "+5", and "1,500" with no unit (`ambiguous`); units other than the
    /// above (`unknownUnit`); blank text (`empty`); anything else
    /// (`malformed`).
    public static func parse(_ text: String) throws(MoneyParseError) -> Money {
        var parser = MoneyParser(input: text)
        return try parser.parse()
    }
}
