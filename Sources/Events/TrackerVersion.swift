/// The version of this build of tracker.
public enum TrackerVersion {
    /// Semantic version.
    public static let string = "0.1.0"
}
