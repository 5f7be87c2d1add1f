#!/bin/bash

__mqdash_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__mqdash_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__mqdash_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__mqdash_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_mqdash() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __mqdash_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    dash|sub|pub|rr|watch|record|replay|open|broker|passwd|bench|profiles|help)
        # Offer subcommand argument completions
        "_mqdash_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'dash sub pub rr watch record replay open broker passwd bench profiles help' -- "${cur}"))
        ;;
    esac
}

_mqdash_dash() {
    repeating_flags=()
    non_repeating_flags=(-c -d --quiet --will-retain --insecure --nodelay --broker --demo --play --version --help)
    repeating_options=(-D -t --decode)
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -i -I -k -V -x --max-packet --will-topic --will-payload --will-qos --cafile --capath --cert --key --broker-port --broker-config --broker-log -q --theme --log-size --max-payload --history --file --board)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-i')
        return
        ;;
    '-I')
        return
        ;;
    '-k')
        return
        ;;
    '-V')
        return
        ;;
    '-x')
        return
        ;;
    '-D')
        return
        ;;
    '--max-packet')
        return
        ;;
    '--will-topic')
        return
        ;;
    '--will-payload')
        return
        ;;
    '--will-qos')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--broker-port')
        return
        ;;
    '--broker-config')
        return
        ;;
    '--broker-log')
        return
        ;;
    '-t')
        return
        ;;
    '-q')
        return
        ;;
    '--theme')
        return
        ;;
    '--log-size')
        return
        ;;
    '--max-payload')
        return
        ;;
    '--history')
        return
        ;;
    '--file')
        return
        ;;
    '--board')
        return
        ;;
    '--decode')
        return
        ;;
    esac
}

_mqdash_sub() {
    repeating_flags=()
    non_repeating_flags=(-c -d --quiet --will-retain --insecure --nodelay -v -R --retained-only -N -E --pretty --remove-retained --version --help)
    repeating_options=(-D -t -T -U --decode)
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -i -I -k -V -x --max-packet --will-topic --will-payload --will-qos --cafile --capath --cert --key -q -C -F -W)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-i')
        return
        ;;
    '-I')
        return
        ;;
    '-k')
        return
        ;;
    '-V')
        return
        ;;
    '-x')
        return
        ;;
    '-D')
        return
        ;;
    '--max-packet')
        return
        ;;
    '--will-topic')
        return
        ;;
    '--will-payload')
        return
        ;;
    '--will-qos')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-t')
        return
        ;;
    '-T')
        return
        ;;
    '-U')
        return
        ;;
    '-q')
        return
        ;;
    '-C')
        return
        ;;
    '-F')
        return
        ;;
    '-W')
        return
        ;;
    '--decode')
        return
        ;;
    esac
}

_mqdash_pub() {
    repeating_flags=()
    non_repeating_flags=(-c -d --quiet --will-retain --insecure --nodelay -l -n -s -r --version --help)
    repeating_options=(-D)
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -i -I -k -V -x --max-packet --will-topic --will-payload --will-qos --cafile --capath --cert --key -t -m -f -q --repeat --repeat-delay)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-i')
        return
        ;;
    '-I')
        return
        ;;
    '-k')
        return
        ;;
    '-V')
        return
        ;;
    '-x')
        return
        ;;
    '-D')
        return
        ;;
    '--max-packet')
        return
        ;;
    '--will-topic')
        return
        ;;
    '--will-payload')
        return
        ;;
    '--will-qos')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-t')
        return
        ;;
    '-m')
        return
        ;;
    '-f')
        return
        ;;
    '-q')
        return
        ;;
    '--repeat')
        return
        ;;
    '--repeat-delay')
        return
        ;;
    esac
}

_mqdash_rr() {
    repeating_flags=()
    non_repeating_flags=(-c -d --quiet --will-retain --insecure --nodelay -n -s -v -N --version --help)
    repeating_options=(-D)
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -i -I -k -V -x --max-packet --will-topic --will-payload --will-qos --cafile --capath --cert --key -t -e -m -f -q -W)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-i')
        return
        ;;
    '-I')
        return
        ;;
    '-k')
        return
        ;;
    '-V')
        return
        ;;
    '-x')
        return
        ;;
    '-D')
        return
        ;;
    '--max-packet')
        return
        ;;
    '--will-topic')
        return
        ;;
    '--will-payload')
        return
        ;;
    '--will-qos')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-t')
        return
        ;;
    '-e')
        return
        ;;
    '-m')
        return
        ;;
    '-f')
        return
        ;;
    '-q')
        return
        ;;
    '-W')
        return
        ;;
    esac
}

_mqdash_watch() {
    repeating_flags=()
    non_repeating_flags=(-c -d --quiet --will-retain --insecure --nodelay --changed --exit-on-alert --version --help)
    repeating_options=(-D -t)
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -i -I -k -V -x --max-packet --will-topic --will-payload --will-qos --cafile --capath --cert --key --field --above --below --outside --equals --silent --rate-above --hysteresis --for --board)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-i')
        return
        ;;
    '-I')
        return
        ;;
    '-k')
        return
        ;;
    '-V')
        return
        ;;
    '-x')
        return
        ;;
    '-D')
        return
        ;;
    '--max-packet')
        return
        ;;
    '--will-topic')
        return
        ;;
    '--will-payload')
        return
        ;;
    '--will-qos')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-t')
        return
        ;;
    '--field')
        return
        ;;
    '--above')
        return
        ;;
    '--below')
        return
        ;;
    '--outside')
        return
        ;;
    '--equals')
        return
        ;;
    '--silent')
        return
        ;;
    '--rate-above')
        return
        ;;
    '--hysteresis')
        return
        ;;
    '--for')
        return
        ;;
    '--board')
        return
        ;;
    esac
}

_mqdash_record() {
    repeating_flags=()
    non_repeating_flags=(-c -d --quiet --will-retain --insecure --nodelay --retained-only --version --help)
    repeating_options=(-D -t -T)
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -i -I -k -V -x --max-packet --will-topic --will-payload --will-qos --cafile --capath --cert --key -o -q --count --duration --max-size --rotate)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-i')
        return
        ;;
    '-I')
        return
        ;;
    '-k')
        return
        ;;
    '-V')
        return
        ;;
    '-x')
        return
        ;;
    '-D')
        return
        ;;
    '--max-packet')
        return
        ;;
    '--will-topic')
        return
        ;;
    '--will-payload')
        return
        ;;
    '--will-qos')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-t')
        return
        ;;
    '-T')
        return
        ;;
    '-o')
        return
        ;;
    '-q')
        return
        ;;
    '--count')
        return
        ;;
    '--duration')
        return
        ;;
    '--max-size')
        return
        ;;
    '--rotate')
        return
        ;;
    esac
}

_mqdash_replay() {
    repeating_flags=()
    non_repeating_flags=(-c -d --quiet --will-retain --insecure --nodelay --max --loop --no-retain --version --help)
    repeating_options=(-D -t)
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -i -I -k -V -x --max-packet --will-topic --will-payload --will-qos --cafile --capath --cert --key --speed --prefix --strip-prefix --from --to -q --qos)
    __mqdash_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-i')
        return
        ;;
    '-I')
        return
        ;;
    '-k')
        return
        ;;
    '-V')
        return
        ;;
    '-x')
        return
        ;;
    '-D')
        return
        ;;
    '--max-packet')
        return
        ;;
    '--will-topic')
        return
        ;;
    '--will-payload')
        return
        ;;
    '--will-qos')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '--speed')
        return
        ;;
    '--prefix')
        return
        ;;
    '--strip-prefix')
        return
        ;;
    '-t')
        return
        ;;
    '--from')
        return
        ;;
    '--to')
        return
        ;;
    '-q'|'--qos')
        return
        ;;
    esac
}

_mqdash_open() {
    repeating_flags=()
    non_repeating_flags=(--play --version --help)
    repeating_options=(--decode)
    non_repeating_options=(--speed --theme --log-size --max-payload --history)
    __mqdash_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--speed')
        return
        ;;
    '--decode')
        return
        ;;
    '--theme')
        return
        ;;
    '--log-size')
        return
        ;;
    '--max-payload')
        return
        ;;
    '--history')
        return
        ;;
    esac
}

_mqdash_broker() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --version --help)
    repeating_options=()
    non_repeating_options=(-c --config-file -p --port)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '-c'|'--config-file')
        return
        ;;
    '-p'|'--port')
        return
        ;;
    esac
}

_mqdash_passwd() {
    repeating_flags=()
    non_repeating_flags=(--version --help)
    repeating_options=()
    non_repeating_options=()
    __mqdash_offer_flags_options -1
}

_mqdash_bench() {
    repeating_flags=()
    non_repeating_flags=(--version --help)
    repeating_options=()
    non_repeating_options=()
    __mqdash_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    pub|sub|conn)
        # Offer subcommand argument completions
        "_mqdash_bench_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'pub sub conn' -- "${cur}"))
        ;;
    esac
}

_mqdash_bench_pub() {
    repeating_flags=()
    non_repeating_flags=(--persistent --insecure --json --version --help)
    repeating_options=()
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -V -k --prefix --threads --cafile --capath --cert --key -q -t --duration --conn-rate -c --publishers --subscribers --filter -s --size -I --interval --rate --inflight --count)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-V')
        return
        ;;
    '-k')
        return
        ;;
    '--prefix')
        return
        ;;
    '--threads')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-q')
        return
        ;;
    '-t')
        return
        ;;
    '--duration')
        return
        ;;
    '--conn-rate')
        return
        ;;
    '-c'|'--publishers')
        return
        ;;
    '--subscribers')
        return
        ;;
    '--filter')
        return
        ;;
    '-s'|'--size')
        return
        ;;
    '-I'|'--interval')
        return
        ;;
    '--rate')
        return
        ;;
    '--inflight')
        return
        ;;
    '--count')
        return
        ;;
    esac
}

_mqdash_bench_sub() {
    repeating_flags=()
    non_repeating_flags=(--persistent --insecure --json --version --help)
    repeating_options=()
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -V -k --prefix --threads --cafile --capath --cert --key -q -t --duration --conn-rate -c --subscribers --count)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-V')
        return
        ;;
    '-k')
        return
        ;;
    '--prefix')
        return
        ;;
    '--threads')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-q')
        return
        ;;
    '-t')
        return
        ;;
    '--duration')
        return
        ;;
    '--conn-rate')
        return
        ;;
    '-c'|'--subscribers')
        return
        ;;
    '--count')
        return
        ;;
    esac
}

_mqdash_bench_conn() {
    repeating_flags=()
    non_repeating_flags=(--persistent --insecure --json --version --help)
    repeating_options=()
    non_repeating_options=(--profile -h -p -L --url -u -P --pw -V -k --prefix --threads --cafile --capath --cert --key -c --connections --conn-rate --duration)
    __mqdash_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--profile')
        return
        ;;
    '-h')
        return
        ;;
    '-p')
        return
        ;;
    '-L'|'--url')
        return
        ;;
    '-u')
        return
        ;;
    '-P'|'--pw')
        return
        ;;
    '-V')
        return
        ;;
    '-k')
        return
        ;;
    '--prefix')
        return
        ;;
    '--threads')
        return
        ;;
    '--cafile')
        return
        ;;
    '--capath')
        return
        ;;
    '--cert')
        return
        ;;
    '--key')
        return
        ;;
    '-c'|'--connections')
        return
        ;;
    '--conn-rate')
        return
        ;;
    '--duration')
        return
        ;;
    esac
}

_mqdash_profiles() {
    repeating_flags=()
    non_repeating_flags=(--version --help)
    repeating_options=()
    non_repeating_options=()
    __mqdash_offer_flags_options 0
}

_mqdash_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __mqdash_offer_flags_options -1
}

complete -o filenames -F _mqdash mqdash
