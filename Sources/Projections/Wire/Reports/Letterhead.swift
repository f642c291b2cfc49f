/// The header and footer officials expect on a report, for one agency (trackerd.conf
/// `[report AGENCY]`, docs/configuration.md): cơ quan chủ quản and cơ quan báo cáo at the top
/// left, Quốc hiệu and Tiêu ngữ at the top right (fixed), the place for the date line, and the
/// signature block.
public struct Letterhead: Sendable, Equatable, Codable {
    /// Cơ quan chủ quản: `UBND TỈNH QUẢNG NGÃI`.
    public var superior: String
    /// Cơ quan báo cáo: `BAN DÂN TỘC`.
    public var office: String
    /// The place on the date line: `Quảng Ngãi`.
    public var place: String
    /// Người lập biểu: the name, if the agency gives one.
    public var preparer: String?
    /// Thủ trưởng đơn vị: the title over the signature (`TRƯỞNG BAN`).
    public var headTitle: String
    /// The head's name, if the agency gives one.
    public var head: String?
    /// Biểu số, where a form has one.
    public var form: String?

    public init(superior: String, office: String, place: String, preparer: String? = nil, headTitle: String, head: String? = nil,
                form: String? = nil) {
        self.superior = superior
        self.office = office
        self.place = place
        self.preparer = preparer
        self.headTitle = headTitle
        self.head = head
        self.form = form
    }

    /// Quốc hiệu.
    public static let nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    /// Tiêu ngữ.
    public static let motto = "Độc lập - Tự do - Hạnh phúc"
}
