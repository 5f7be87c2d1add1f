/// The release number of mqdash, shared by `mqdash --version`, the broker's start line and
/// `$SYS/broker/version`. Set by hand when cutting a release; the Makefile reads it for `make dist`.
public enum MQDashRelease {
    public static let version = "0.1.0"
}
