-- SPDX-License-Identifier: GPL-2.0-or-later
-- Run by the Wireshark GUI (-X lua_script:probe.lua -X lua_script1:OUT):
-- proves the GUI itself loaded tcplife and dissects with it. Writes to OUT
-- whether this is the GUI (gui_enabled()), then one line per frame of the
-- tap pass that follows loading the file: frame number, tcplife.label,
-- tcplife.client.state, tcplife.server.state (value names), the teardown
-- steps; finally "draw" when Wireshark has finished the pass. Field.new
-- fails, and the script with it, if no tcplife.label field is registered.
local out_path = ...
local label = Field.new("tcplife.label")
local client = Field.new("tcplife.client.state")
local server = Field.new("tcplife.server.state")
local teardown = Field.new("tcplife.teardown.step")

local out = assert(io.open(out_path, "w"))
out:write("gui_enabled\t", tostring(gui_enabled()), "\n")
out:write("version\t", get_version(), "\n")
out:flush()

-- The display of an enum field is "NAME (n)": keep the name.
local function name(f)
    local fi = f()
    if not fi then return "" end
    return (fi.display:gsub(" %(%d+%)$", ""))
end

local tap = Listener.new("frame", nil, false)
function tap.packet(pinfo)
    local l = label()
    local steps = {}
    for _, fi in ipairs({ teardown() }) do steps[#steps + 1] = tostring(fi.value) end
    out:write(tostring(pinfo.number), "\t", l and tostring(l.value) or "", "\t",
              name(client), "\t", name(server), "\t", table.concat(steps, ","), "\n")
    out:flush()
end
function tap.draw()
    out:write("draw\n")
    out:flush()
end
