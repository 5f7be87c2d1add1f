function __mqdash_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mqdash_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __mqdash_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __mqdash_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __mqdash_parse_tokens -S
    set -l unparsed_tokens (__mqdash_tokens -pc)
    switch $unparsed_tokens[1]
    case 'mqdash'
        __mqdash_parse_subcommand 0 'version' 'help'
        switch $unparsed_tokens[1]
        case 'dash'
            __mqdash_parse_subcommand 0 'h=' 'p=' 'L/url=' 'u=' 'P/pw=' 'i=' 'I=' 'k=' 'V=' 'c' 'x=' 'd' 'quiet' 'D=+' 'max-packet=' 'will-topic=' 'will-payload=' 'will-qos=' 'will-retain' 'cafile=' 'capath=' 'cert=' 'key=' 'insecure' 'nodelay' 'broker' 'broker-port=' 'broker-config=' 'broker-log=' 't=+' 'q=' 'theme=' 'log-size=' 'max-payload=' 'history=' 'demo' 'version' 'help'
        case 'sub'
            __mqdash_parse_subcommand 0 'h=' 'p=' 'L/url=' 'u=' 'P/pw=' 'i=' 'I=' 'k=' 'V=' 'c' 'x=' 'd' 'quiet' 'D=+' 'max-packet=' 'will-topic=' 'will-payload=' 'will-qos=' 'will-retain' 'cafile=' 'capath=' 'cert=' 'key=' 'insecure' 'nodelay' 't=+' 'T=+' 'U=+' 'q=' 'v' 'C=' 'R' 'retained-only' 'N' 'F=' 'W=' 'E' 'pretty' 'remove-retained' 'version' 'help'
        case 'pub'
            __mqdash_parse_subcommand 0 'h=' 'p=' 'L/url=' 'u=' 'P/pw=' 'i=' 'I=' 'k=' 'V=' 'c' 'x=' 'd' 'quiet' 'D=+' 'max-packet=' 'will-topic=' 'will-payload=' 'will-qos=' 'will-retain' 'cafile=' 'capath=' 'cert=' 'key=' 'insecure' 'nodelay' 't=' 'm=' 'f=' 'l' 'n' 's' 'r' 'q=' 'repeat=' 'repeat-delay=' 'version' 'help'
        case 'watch'
            __mqdash_parse_subcommand 0 'h=' 'p=' 'L/url=' 'u=' 'P/pw=' 'i=' 'I=' 'k=' 'V=' 'c' 'x=' 'd' 'quiet' 'D=+' 'max-packet=' 'will-topic=' 'will-payload=' 'will-qos=' 'will-retain' 'cafile=' 'capath=' 'cert=' 'key=' 'insecure' 'nodelay' 't=+' 'field=' 'above=' 'below=' 'outside=' 'changed' 'equals=' 'silent=' 'rate-above=' 'hysteresis=' 'for=' 'exit-on-alert' 'version' 'help'
        case 'broker'
            __mqdash_parse_subcommand 0 'c/config-file=' 'p/port=' 'v/verbose' 'version' 'help'
        case 'passwd'
            __mqdash_parse_subcommand -r 1 'version' 'help'
        case 'bench'
            __mqdash_parse_subcommand 0 'version' 'help'
            switch $unparsed_tokens[1]
            case 'pub'
                __mqdash_parse_subcommand 0 'h=' 'p=' 'L/url=' 'u=' 'P/pw=' 'V=' 'k=' 'prefix=' 'persistent' 'threads=' 'cafile=' 'capath=' 'cert=' 'key=' 'insecure' 'q=' 't=' 'duration=' 'conn-rate=' 'json' 'c/publishers=' 'subscribers=' 'filter=' 's/size=' 'I/interval=' 'rate=' 'inflight=' 'count=' 'version' 'help'
            case 'sub'
                __mqdash_parse_subcommand 0 'h=' 'p=' 'L/url=' 'u=' 'P/pw=' 'V=' 'k=' 'prefix=' 'persistent' 'threads=' 'cafile=' 'capath=' 'cert=' 'key=' 'insecure' 'q=' 't=' 'duration=' 'conn-rate=' 'json' 'c/subscribers=' 'count=' 'version' 'help'
            case 'conn'
                __mqdash_parse_subcommand 0 'h=' 'p=' 'L/url=' 'u=' 'P/pw=' 'V=' 'k=' 'prefix=' 'persistent' 'threads=' 'cafile=' 'capath=' 'cert=' 'key=' 'insecure' 'c/connections=' 'conn-rate=' 'duration=' 'json' 'version' 'help'
            end
        case 'help'
            __mqdash_parse_subcommand -r 1 'version'
        end
    end
end

function __mqdash_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __mqdash_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __mqdash_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __mqdash_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__mqdash_tokens -p)
    if test -z "$(__mqdash_tokens -t)"
        set -l index (count (__mqdash_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'mqdash' -f
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'dash' -d 'Open the dashboard (what \'mqdash\' does without a subcommand).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'sub' -d 'Subscribe to topics and print messages (mosquitto_sub compatible).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'pub' -d 'Publish a message (mosquitto_pub compatible).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'watch' -d 'Watch topics and print a line each time an alert rule fires or clears.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'broker' -d 'Run the embedded MQTT broker in the foreground (reads mosquitto.conf).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'passwd' -d 'Manage mosquitto password files (mosquitto_passwd compatible).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'bench' -d 'Generate MQTT load and measure a broker (throughput, latency, connections).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" h' -s 'h' -d 'MQTT host to connect to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" p' -s 'p' -d 'Network port (1883, or 8883 with TLS).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" L url' -s 'L' -l 'url' -d 'mqtt(s)://[username[:password]@]host[:port]/topic, or ws(s)://.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" u' -s 'u' -d 'User name.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" P pw' -s 'P' -l 'pw' -d 'Password.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" i' -s 'i' -d 'Client id.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" I' -s 'I' -d 'Client id prefix; the process id is appended.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" k' -s 'k' -d 'Keep alive in seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" V' -s 'V' -d 'Protocol version: 5, mqttv5, 311 or mqttv311 (3.1.1 unless -D is given).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" c' -s 'c' -d 'Keep the session (no clean session / clean start).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" x' -s 'x' -d 'v5 session expiry interval in seconds (-1: never).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" d' -s 'd' -d 'Print every packet sent and received.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" quiet' -l 'quiet' -d 'Do not print error messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash"' -s 'D' -d 'v5 property: -D command identifier value.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" max-packet' -l 'max-packet' -d 'Largest packet accepted from the broker, in bytes (default 16777216 = 16 MiB); a larger one ends the connection with an error. v5 announces it in CONNECT, and the broker then drops larger messages for us unseen. Wins over -D connect maximum-packet-size.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" will-topic' -l 'will-topic' -d 'Will topic.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" will-payload' -l 'will-payload' -d 'Will payload.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" will-qos' -l 'will-qos' -d 'Will QoS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" will-retain' -l 'will-retain' -d 'Retain the will.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" cafile' -l 'cafile' -d 'CA certificates (PEM) to trust; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" capath' -l 'capath' -d 'Directory of CA certificates; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" insecure' -l 'insecure' -d 'Do not check the server certificate\'s host name.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" nodelay' -l 'nodelay' -d 'Accepted for compatibility: Nagle\'s algorithm is always off.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" broker' -l 'broker' -d 'Host an embedded broker and connect the dashboard to it.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" broker-port' -l 'broker-port' -d 'Port of the embedded broker (on 127.0.0.1 unless --broker-config says otherwise).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" broker-config' -l 'broker-config' -d 'A mosquitto.conf for the embedded broker.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" broker-log' -l 'broker-log' -d 'Append the embedded broker\'s log lines to this file.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash"' -s 't' -d 'Topic filter to subscribe to; may be repeated (default \'#\').' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" q' -s 'q' -d 'QoS of the subscriptions.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" theme' -l 'theme' -d 'Theme: a name from themes/ or the path of a .toml theme file.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" log-size' -l 'log-size' -d 'Entries kept in the message log.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" max-payload' -l 'max-payload' -d 'Payload bytes kept per message; longer payloads are cut and marked.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" history' -l 'history' -d 'Messages kept per topic for the detail view and its plot.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" demo' -l 'demo' -d 'Also run the demo simulator: simulated readings under livingroom/ and kitchen/, published to the same broker as client \'mqdash-demo\'.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash dash" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" h' -s 'h' -d 'MQTT host to connect to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" p' -s 'p' -d 'Network port (1883, or 8883 with TLS).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" L url' -s 'L' -l 'url' -d 'mqtt(s)://[username[:password]@]host[:port]/topic, or ws(s)://.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" u' -s 'u' -d 'User name.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" P pw' -s 'P' -l 'pw' -d 'Password.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" i' -s 'i' -d 'Client id.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" I' -s 'I' -d 'Client id prefix; the process id is appended.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" k' -s 'k' -d 'Keep alive in seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" V' -s 'V' -d 'Protocol version: 5, mqttv5, 311 or mqttv311 (3.1.1 unless -D is given).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" c' -s 'c' -d 'Keep the session (no clean session / clean start).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" x' -s 'x' -d 'v5 session expiry interval in seconds (-1: never).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" d' -s 'd' -d 'Print every packet sent and received.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" quiet' -l 'quiet' -d 'Do not print error messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub"' -s 'D' -d 'v5 property: -D command identifier value.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" max-packet' -l 'max-packet' -d 'Largest packet accepted from the broker, in bytes (default 16777216 = 16 MiB); a larger one ends the connection with an error. v5 announces it in CONNECT, and the broker then drops larger messages for us unseen. Wins over -D connect maximum-packet-size.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" will-topic' -l 'will-topic' -d 'Will topic.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" will-payload' -l 'will-payload' -d 'Will payload.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" will-qos' -l 'will-qos' -d 'Will QoS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" will-retain' -l 'will-retain' -d 'Retain the will.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" cafile' -l 'cafile' -d 'CA certificates (PEM) to trust; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" capath' -l 'capath' -d 'Directory of CA certificates; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" insecure' -l 'insecure' -d 'Do not check the server certificate\'s host name.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" nodelay' -l 'nodelay' -d 'Accepted for compatibility: Nagle\'s algorithm is always off.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub"' -s 't' -d 'Topic filter to subscribe to; may be repeated.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub"' -s 'T' -d 'Topic filter whose messages are not printed; may be repeated.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub"' -s 'U' -d 'Topic filter to unsubscribe from; may be repeated.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" q' -s 'q' -d 'QoS of the subscriptions.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" v' -s 'v' -d 'Print \'topic payload\'.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" C' -s 'C' -d 'Exit after this many messages.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" R' -s 'R' -d 'Do not print stale (retained) messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" retained-only' -l 'retained-only' -d 'Only print retained messages; exit at the first live one.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" N' -s 'N' -d 'Do not add a newline after each message.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" F' -s 'F' -d 'Output format (%t topic, %p payload, %j JSON, ...).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" W' -s 'W' -d 'Exit after this many seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" E' -s 'E' -d 'Exit once the subscriptions are acknowledged.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" pretty' -l 'pretty' -d 'Print JSON (%j, %J) over several indented lines.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" remove-retained' -l 'remove-retained' -d 'Clear every retained message received (publish an empty retained message to its topic).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash sub" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" h' -s 'h' -d 'MQTT host to connect to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" p' -s 'p' -d 'Network port (1883, or 8883 with TLS).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" L url' -s 'L' -l 'url' -d 'mqtt(s)://[username[:password]@]host[:port]/topic, or ws(s)://.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" u' -s 'u' -d 'User name.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" P pw' -s 'P' -l 'pw' -d 'Password.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" i' -s 'i' -d 'Client id.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" I' -s 'I' -d 'Client id prefix; the process id is appended.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" k' -s 'k' -d 'Keep alive in seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" V' -s 'V' -d 'Protocol version: 5, mqttv5, 311 or mqttv311 (3.1.1 unless -D is given).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" c' -s 'c' -d 'Keep the session (no clean session / clean start).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" x' -s 'x' -d 'v5 session expiry interval in seconds (-1: never).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" d' -s 'd' -d 'Print every packet sent and received.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" quiet' -l 'quiet' -d 'Do not print error messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub"' -s 'D' -d 'v5 property: -D command identifier value.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" max-packet' -l 'max-packet' -d 'Largest packet accepted from the broker, in bytes (default 16777216 = 16 MiB); a larger one ends the connection with an error. v5 announces it in CONNECT, and the broker then drops larger messages for us unseen. Wins over -D connect maximum-packet-size.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" will-topic' -l 'will-topic' -d 'Will topic.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" will-payload' -l 'will-payload' -d 'Will payload.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" will-qos' -l 'will-qos' -d 'Will QoS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" will-retain' -l 'will-retain' -d 'Retain the will.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" cafile' -l 'cafile' -d 'CA certificates (PEM) to trust; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" capath' -l 'capath' -d 'Directory of CA certificates; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" insecure' -l 'insecure' -d 'Do not check the server certificate\'s host name.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" nodelay' -l 'nodelay' -d 'Accepted for compatibility: Nagle\'s algorithm is always off.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" t' -s 't' -d 'Topic to publish to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" m' -s 'm' -d 'Message payload.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" f' -s 'f' -d 'Send the contents of a file as the message.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" l' -s 'l' -d 'Send each line of stdin as a separate message.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" n' -s 'n' -d 'Send a zero-length message.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" s' -s 's' -d 'Send all of stdin as one message.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" r' -s 'r' -d 'Retain the message.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" q' -s 'q' -d 'QoS of the message.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" repeat' -l 'repeat' -d 'Publish the message this many times.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" repeat-delay' -l 'repeat-delay' -d 'Seconds between repeated messages (may be fractional).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash pub" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" h' -s 'h' -d 'MQTT host to connect to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" p' -s 'p' -d 'Network port (1883, or 8883 with TLS).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" L url' -s 'L' -l 'url' -d 'mqtt(s)://[username[:password]@]host[:port]/topic, or ws(s)://.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" u' -s 'u' -d 'User name.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" P pw' -s 'P' -l 'pw' -d 'Password.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" i' -s 'i' -d 'Client id.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" I' -s 'I' -d 'Client id prefix; the process id is appended.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" k' -s 'k' -d 'Keep alive in seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" V' -s 'V' -d 'Protocol version: 5, mqttv5, 311 or mqttv311 (3.1.1 unless -D is given).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" c' -s 'c' -d 'Keep the session (no clean session / clean start).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" x' -s 'x' -d 'v5 session expiry interval in seconds (-1: never).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" d' -s 'd' -d 'Print every packet sent and received.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" quiet' -l 'quiet' -d 'Do not print error messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch"' -s 'D' -d 'v5 property: -D command identifier value.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" max-packet' -l 'max-packet' -d 'Largest packet accepted from the broker, in bytes (default 16777216 = 16 MiB); a larger one ends the connection with an error. v5 announces it in CONNECT, and the broker then drops larger messages for us unseen. Wins over -D connect maximum-packet-size.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" will-topic' -l 'will-topic' -d 'Will topic.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" will-payload' -l 'will-payload' -d 'Will payload.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" will-qos' -l 'will-qos' -d 'Will QoS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" will-retain' -l 'will-retain' -d 'Retain the will.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" cafile' -l 'cafile' -d 'CA certificates (PEM) to trust; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" capath' -l 'capath' -d 'Directory of CA certificates; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" insecure' -l 'insecure' -d 'Do not check the server certificate\'s host name.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" nodelay' -l 'nodelay' -d 'Accepted for compatibility: Nagle\'s algorithm is always off.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch"' -s 't' -d 'Topic filter to watch; may be repeated.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" field' -l 'field' -d 'JSON field path of the value (sensor.temp, values[0]); default: the whole payload.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" above' -l 'above' -d 'Alert when the value is above this number.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" below' -l 'below' -d 'Alert when the value is below this number.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" outside' -l 'outside' -d 'Alert when the value is outside LOW..HIGH.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" changed' -l 'changed' -d 'Alert on every message whose value differs from the topic\'s previous one.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" equals' -l 'equals' -d 'Alert while the value (text) equals this.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" silent' -l 'silent' -d 'Alert when a topic has had no message for this long (90, 90s, 5m, 1h).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" rate-above' -l 'rate-above' -d 'Alert when a topic\'s messages per second exceed this.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" hysteresis' -l 'hysteresis' -d 'How far the value (or rate) must come back past the limit before the alert clears.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" for' -l 'for' -d 'How long the condition must hold before the alert fires (10s, 1m).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" exit-on-alert' -l 'exit-on-alert' -d 'Exit with status 3 at the first alert.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash watch" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash broker" c config-file' -s 'c' -l 'config-file' -d 'A mosquitto.conf to read.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash broker" p port' -s 'p' -l 'port' -d 'Listen on this port instead of 1883 (without a config file: on 127.0.0.1 only).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash broker" v verbose' -s 'v' -l 'verbose' -d 'Log everything (like mosquitto -v).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash broker" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash broker" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash passwd" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash passwd" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash bench" -eq 1' -fa 'pub' -d 'Publish from N clients; with --subscribers, also receive and measure end-to-end latency.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash bench" -eq 1' -fa 'sub' -d 'Subscribe with N clients and report the receive rate.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_positional "mqdash bench" -eq 1' -fa 'conn' -d 'Open N idle connections, report connect latency, hold them.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" h' -s 'h' -d 'MQTT host to connect to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" p' -s 'p' -d 'Network port (1883, or 8883 with TLS).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" L url' -s 'L' -l 'url' -d 'mqtt(s)://[username[:password]@]host[:port].' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" u' -s 'u' -d 'User name.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" P pw' -s 'P' -l 'pw' -d 'Password.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" V' -s 'V' -d 'Protocol version: 5, mqttv5, 311 or mqttv311 (default 3.1.1).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" k' -s 'k' -d 'Keep alive in seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" prefix' -l 'prefix' -d 'Client id prefix; ids are PREFIX-pub-N, PREFIX-sub-N, PREFIX-conn-N.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" persistent' -l 'persistent' -d 'Persistent sessions (clean session 0; v5: session expiry 300 s), so that a broker with persistence stores every subscriber\'s messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" threads' -l 'threads' -d 'Event loop threads (default: one per core).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" cafile' -l 'cafile' -d 'CA certificates (PEM) to trust; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" capath' -l 'capath' -d 'Directory of CA certificates; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" insecure' -l 'insecure' -d 'Do not check the server certificate\'s host name.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" q' -s 'q' -d 'QoS of publications and subscriptions.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" t' -s 't' -d 'Topic; %i becomes the client\'s index.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" duration' -l 'duration' -d 'Seconds to run (default 10; 600 when only --count is given).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" conn-rate' -l 'conn-rate' -d 'Connections opened per second.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" json' -l 'json' -d 'Print the summary as JSON on stdout (per-second lines go to stderr).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" c publishers' -s 'c' -l 'publishers' -d 'Publishing clients.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" subscribers' -l 'subscribers' -d 'Subscribing clients in this process (0: publish only).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" filter' -l 'filter' -d 'Subscribers\' topic filter; %i becomes the subscriber\'s index (default: the topic).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" s size' -s 's' -l 'size' -d 'Payload size in bytes (at least 24).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" I interval' -s 'I' -l 'interval' -d 'Milliseconds between messages of one publisher.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" rate' -l 'rate' -d 'Messages per second of one publisher (default: as fast as possible).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" inflight' -l 'inflight' -d 'Unacknowledged QoS 1/2 messages per publisher (lowered to a v5 broker\'s Receive Maximum).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" count' -l 'count' -d 'Messages per publisher, at most.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench pub" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" h' -s 'h' -d 'MQTT host to connect to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" p' -s 'p' -d 'Network port (1883, or 8883 with TLS).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" L url' -s 'L' -l 'url' -d 'mqtt(s)://[username[:password]@]host[:port].' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" u' -s 'u' -d 'User name.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" P pw' -s 'P' -l 'pw' -d 'Password.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" V' -s 'V' -d 'Protocol version: 5, mqttv5, 311 or mqttv311 (default 3.1.1).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" k' -s 'k' -d 'Keep alive in seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" prefix' -l 'prefix' -d 'Client id prefix; ids are PREFIX-pub-N, PREFIX-sub-N, PREFIX-conn-N.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" persistent' -l 'persistent' -d 'Persistent sessions (clean session 0; v5: session expiry 300 s), so that a broker with persistence stores every subscriber\'s messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" threads' -l 'threads' -d 'Event loop threads (default: one per core).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" cafile' -l 'cafile' -d 'CA certificates (PEM) to trust; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" capath' -l 'capath' -d 'Directory of CA certificates; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" insecure' -l 'insecure' -d 'Do not check the server certificate\'s host name.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" q' -s 'q' -d 'QoS of publications and subscriptions.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" t' -s 't' -d 'Topic; %i becomes the client\'s index.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" duration' -l 'duration' -d 'Seconds to run (default 10; 600 when only --count is given).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" conn-rate' -l 'conn-rate' -d 'Connections opened per second.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" json' -l 'json' -d 'Print the summary as JSON on stdout (per-second lines go to stderr).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" c subscribers' -s 'c' -l 'subscribers' -d 'Subscribing clients.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" count' -l 'count' -d 'Messages per subscriber after which the run ends.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench sub" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" h' -s 'h' -d 'MQTT host to connect to.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" p' -s 'p' -d 'Network port (1883, or 8883 with TLS).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" L url' -s 'L' -l 'url' -d 'mqtt(s)://[username[:password]@]host[:port].' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" u' -s 'u' -d 'User name.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" P pw' -s 'P' -l 'pw' -d 'Password.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" V' -s 'V' -d 'Protocol version: 5, mqttv5, 311 or mqttv311 (default 3.1.1).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" k' -s 'k' -d 'Keep alive in seconds.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" prefix' -l 'prefix' -d 'Client id prefix; ids are PREFIX-pub-N, PREFIX-sub-N, PREFIX-conn-N.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" persistent' -l 'persistent' -d 'Persistent sessions (clean session 0; v5: session expiry 300 s), so that a broker with persistence stores every subscriber\'s messages.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" threads' -l 'threads' -d 'Event loop threads (default: one per core).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" cafile' -l 'cafile' -d 'CA certificates (PEM) to trust; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" capath' -l 'capath' -d 'Directory of CA certificates; enables TLS.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" cert' -l 'cert' -d 'Client certificate (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" key' -l 'key' -d 'Client key (PEM).' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" insecure' -l 'insecure' -d 'Do not check the server certificate\'s host name.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" c connections' -s 'c' -l 'connections' -d 'Connections to open.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" conn-rate' -l 'conn-rate' -d 'Connections opened per second.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" duration' -l 'duration' -d 'Seconds to hold them once all are open.' -rfka ''
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" json' -l 'json' -d 'Print the summary as JSON on stdout (per-second lines go to stderr).'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" version' -l 'version' -d 'Show the version.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash bench conn" help' -l 'help' -d 'Show help information.'
complete -c 'mqdash' -n '__mqdash_should_offer_completions_for_flags_or_options "mqdash help" version' -l 'version' -d 'Show the version.'
