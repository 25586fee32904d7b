# assemble.awk: expand an update script's template.
#
#   awk -v schema=extension/schema -f assemble.awk TEMPLATE > SCRIPT
#
# Each line "-- @include PIECE REGION [or-replace]" of the template becomes
# the lines between "-- @region REGION" and "-- @end REGION" of the schema
# piece PIECE, so an update script states an object's definition by naming
# the one place that holds it, never by a copy.  With "or-replace", each
# line that begins "CREATE VIEW" or "CREATE FUNCTION" begins "CREATE OR
# REPLACE ..." instead: the update replaces an object 1.0 already has, the
# fresh install creates it.  Region markers are never copied.  A missing
# piece or region, or one left open, stops the build, and so does a line
# that looks like a directive but is not spelled as one ("--@include",
# "--  @include"), which would otherwise pass through as a comment and
# leave its objects out of the update.

function fail(message) {
    printf "assemble.awk: %s:%d: %s\n", FILENAME, FNR, message > "/dev/stderr"
    exit 1
}

function include(piece, region, mode,    file, line, inside, found, status) {
    file = schema "/" piece
    inside = 0
    found = 0
    while ((status = (getline line < file)) > 0) {
        if (line == "-- @region " region) {
            if (found)
                fail("region " region " opens twice in " file)
            inside = 1
            found = 1
            continue
        }
        if (line == "-- @end " region) {
            inside = 0
            continue
        }
        if (line ~ /^--[ \t]*@(region|end)/ && line !~ /^-- @(region|end) /)
            fail("a marker in " file " must be spelled \"-- @region NAME\" or \"-- @end NAME\"")
        if (!inside || line ~ /^-- @(region|end) /)
            continue
        if (mode == "or-replace" && line ~ /^CREATE (VIEW|FUNCTION) /)
            line = "CREATE OR REPLACE " substr(line, 8)
        print line
    }
    if (status < 0)
        fail("cannot read " file)
    close(file)
    if (!found)
        fail("no region " region " in " file)
    if (inside)
        fail("region " region " is not closed in " file)
}

/^--[ \t]*@(include|region|end)/ && !/^-- @include / {
    fail("a directive must be spelled \"-- @include PIECE REGION [or-replace]\"")
}

/^-- @include / {
    if (NF < 4 || NF > 5 || (NF == 5 && $5 != "or-replace"))
        fail("expected \"-- @include PIECE REGION [or-replace]\"")
    include($3, $4, $5)
    next
}

{ print }
