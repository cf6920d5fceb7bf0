#!/bin/sh
# dockgen-sbom: write an SPDX 2.3 JSON SBOM for each filesystem BuildKit asks to scan.
#
# Protocol (BuildKit SBOM generator): BUILDKIT_SCAN_SOURCE is the root filesystem of the build result,
# BUILDKIT_SCAN_SOURCE_EXTRAS (optional) a directory of further root filesystems (build stages, contexts),
# BUILDKIT_SCAN_DESTINATION the directory to write <name>.spdx.json files to. Each file is one in-toto
# statement whose predicate is the SPDX document; BuildKit adds the subjects (the image digests).
#
# Packages come from the dpkg database (/var/lib/dpkg/status) when the filesystem has one; otherwise the
# regular files are listed with their SHA-1/SHA-256 checksums. Only busybox tools are used.
set -eu

: "${BUILDKIT_SCAN_DESTINATION:?BUILDKIT_SCAN_DESTINATION is not set (run by BuildKit as an SBOM generator)}"
: "${BUILDKIT_SCAN_SOURCE:?BUILDKIT_SCAN_SOURCE is not set (run by BuildKit as an SBOM generator)}"

TOOL="dockgen-sbom-1"

uuid() {
    cat /proc/sys/kernel/random/uuid 2>/dev/null || echo "$(date +%s)-$$-$RANDOM"
}

# JSON-escape stdin (one string per line in, one escaped string per line out).
json_escape() {
    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g'
}

dpkg_packages() {  # $1 = rootfs; prints package JSON objects separated by ",\n"
    awk '
    function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
    function flush() {
        if (pkg != "" && status ~ / installed$/) {
            id = pkg (arch != "" ? "-" arch : ""); gsub(/[^A-Za-z0-9.-]/, "-", id)
            purl = "pkg:deb/debian/" pkg "@" ver (arch != "" ? "?arch=" arch : "")
            gsub(/\+/, "%2B", purl); gsub(/:/, "%3A", purl); sub(/^pkg%3A/, "pkg:", purl)
            printf "%s    {\"SPDXID\": \"SPDXRef-Package-deb-%s\", \"name\": \"%s\", \"versionInfo\": \"%s\", ", sep, id, esc(pkg), esc(ver)
            printf "\"supplier\": \"%s\", \"downloadLocation\": \"NOASSERTION\", \"filesAnalyzed\": false, ", (maint != "" ? "Organization: " esc(maint) : "NOASSERTION")
            printf "\"licenseConcluded\": \"NOASSERTION\", \"licenseDeclared\": \"NOASSERTION\", \"copyrightText\": \"NOASSERTION\", "
            printf "\"primaryPackagePurpose\": \"LIBRARY\", "
            printf "\"externalRefs\": [{\"referenceCategory\": \"PACKAGE-MANAGER\", \"referenceType\": \"purl\", \"referenceLocator\": \"%s\"}]}", esc(purl)
            sep = ",\n"
        }
        pkg = ""; ver = ""; arch = ""; status = ""; maint = ""
    }
    /^Package: / { pkg = substr($0, 10) }
    /^Version: / { ver = substr($0, 10) }
    /^Architecture: / { arch = substr($0, 15) }
    /^Status: / { status = substr($0, 9) }
    /^Maintainer: / {
        # SPDX writes a contact as "Name (email)"; dpkg as "Name <email>"
        maint = substr($0, 13); i = index(maint, "<")
        if (i > 0) { mail = substr(maint, i + 1); sub(/>.*$/, "", mail); maint = substr(maint, 1, i - 1); sub(/ +$/, "", maint); maint = maint " (" mail ")" }
    }
    /^$/ { flush() }
    END { flush(); if (sep != "") printf "\n" }
    ' "$1/var/lib/dpkg/status"
}

files_list() {  # $1 = rootfs; prints file JSON objects separated by ",\n"
    n=0
    (cd "$1" && find . -xdev -type f | sort) | while IFS= read -r f; do
        n=$((n + 1))
        sha1=$(sha1sum < "$1/$f" | cut -d' ' -f1)
        sha256=$(sha256sum < "$1/$f" | cut -d' ' -f1)
        name=$(printf '%s\n' "$f" | json_escape)
        [ "$n" -gt 1 ] && printf ',\n'
        printf '    {"SPDXID": "SPDXRef-File-%d", "fileName": "%s", ' "$n" "$name"
        printf '"checksums": [{"algorithm": "SHA1", "checksumValue": "%s"}, ' "$sha1"
        printf '{"algorithm": "SHA256", "checksumValue": "%s"}], ' "$sha256"
        printf '"licenseConcluded": "NOASSERTION", "copyrightText": "NOASSERTION"}'
    done
    printf '\n'
}

scan() {  # $1 = rootfs, $2 = output file
    root=$1
    name=$(basename "$root" | json_escape)
    created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    {
        printf '{"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://spdx.dev/Document", '
        printf '"subject": [], "predicate": {\n'
        printf '  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",\n'
        printf '  "name": "%s", "documentNamespace": "https://dockgen.invalid/spdx/%s/%s",\n' "$name" "$name" "$(uuid)"
        printf '  "creationInfo": {"created": "%s", "creators": ["Tool: %s"]},\n' "$created" "$TOOL"
        if [ -f "$root/var/lib/dpkg/status" ]; then
            printf '  "packages": [\n'
            dpkg_packages "$root"
            printf '  ],\n  "relationships": [\n'
            # the document describes every installed package
            dpkg_packages "$root" | sed -n 's/^ *{"SPDXID": "\([^"]*\)".*/\1/p' | awk '
                { printf "%s    {\"spdxElementId\": \"SPDXRef-DOCUMENT\", \"relationshipType\": \"DESCRIBES\", \"relatedSpdxElement\": \"%s\"}", sep, $0; sep = ",\n" }
                END { if (sep != "") printf "\n" }'
            printf '  ]\n'
        else
            printf '  "files": [\n'
            files_list "$root"
            printf '  ]\n'
        fi
        printf '}}\n'
    } > "$2"
}

scan "$BUILDKIT_SCAN_SOURCE" "$BUILDKIT_SCAN_DESTINATION/$(basename "$BUILDKIT_SCAN_SOURCE").spdx.json"

extras=${BUILDKIT_SCAN_SOURCE_EXTRAS:-}
if [ -n "$extras" ] && [ -d "$extras" ]; then
    for dir in "$extras"/*; do
        [ -d "$dir" ] || continue
        scan "$dir" "$BUILDKIT_SCAN_DESTINATION/$(basename "$dir").spdx.json"
    done
fi
