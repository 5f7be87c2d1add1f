#if canImport(Glibc)
import Glibc
#endif

/// ssh's rule for private files: a file that holds a password should be readable by its owner only.
public enum PasswordFilePermissions {
    /// The warning to print when `config` keeps a password in clear and its file is readable by group or
    /// others; nil when all is well.
    public static func warning(for config: ProfileConfig) -> String? {
        guard config.holdsPassword else { return nil }
        var status = stat()
        guard stat(config.file, &status) == 0, status.st_mode & 0o044 != 0 else { return nil }
        let mode = String(status.st_mode & 0o777, radix: 8)
        return "Warning: \(config.file) holds a password and is readable by group or others (mode \(mode)); "
            + "run chmod 600 \(config.file), or use password_command or password_env"
    }
}
