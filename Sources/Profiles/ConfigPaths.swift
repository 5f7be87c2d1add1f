/// Where mqdash and mosquitto's clients look for their configuration: `$XDG_CONFIG_HOME`, or
/// `~/.config` when it is unset or empty (the XDG base directory rule, which mosquitto follows too).
public enum ConfigPaths {
    public static func configHome(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config" }
        return nil
    }

    /// `$XDG_CONFIG_HOME/mqdash/config.toml`.
    public static func profilesFile(environment: [String: String]) -> String? {
        configHome(environment: environment).map { $0 + "/mqdash/config.toml" }
    }

    /// `$XDG_CONFIG_HOME/mosquitto_sub` or `.../mosquitto_pub`: `tool` is the mosquitto client's name.
    public static func mosquittoClientFile(_ tool: String, environment: [String: String]) -> String? {
        configHome(environment: environment).map { $0 + "/" + tool }
    }
}
