extension String {
    /// The string padded with spaces to `width` terminal columns (graphemes, so diacritics align).
    public func padding(toDisplayWidth width: Int) -> String {
        let current = Text.displayWidth(self)
        return current >= width ? self : self + String(repeating: " ", count: width - current)
    }

    /// The string padded on the left to `width` terminal columns.
    public func leftPadding(toDisplayWidth width: Int) -> String {
        let current = Text.displayWidth(self)
        return current >= width ? self : String(repeating: " ", count: width - current) + self
    }
}
