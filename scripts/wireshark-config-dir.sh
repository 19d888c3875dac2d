# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by install-user.sh and uninstall-user.sh: the personal
# configuration folder Wireshark uses for HOME ($1), by Wireshark's own
# rule: WIRESHARK_CONFIG_DIR if set, else the legacy ~/.wireshark when it
# exists and the XDG folder does not, else $XDG_CONFIG_HOME/wireshark.
wireshark_config_dir() {
    local home=$1 xdg=${XDG_CONFIG_HOME:-$1/.config}
    if [ -n "${WIRESHARK_CONFIG_DIR:-}" ]; then
        echo "$WIRESHARK_CONFIG_DIR"
    elif [ -d "$home/.wireshark" ] && [ ! -d "$xdg/wireshark" ]; then
        echo "$home/.wireshark"
    else
        echo "$xdg/wireshark"
    fi
}
