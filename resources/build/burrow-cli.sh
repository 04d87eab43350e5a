#!/bin/sh
# /usr/bin/burrow in the deb and rpm packages: the Burrow CLI (`burrow status`, `burrow host`, …) run by
# the app's own Electron as node (ELECTRON_RUN_AS_NODE; the runAsNode fuse is on for this), so the CLI
# needs no separate Node and loads the same better-sqlite3 build as the app. The CLI bundle and
# better-sqlite3's JavaScript are unpacked beside app.asar (electron-builder.yml asarUnpack): Node's ES
# module loader reads them from the real file system.
app=/opt/Burrow
ELECTRON_RUN_AS_NODE=1
BURROW_SQLITE_BINDING="$app/resources/native/better_sqlite3.node"
export ELECTRON_RUN_AS_NODE BURROW_SQLITE_BINDING
exec "$app/burrow-desktop" "$app/resources/app.asar.unpacked/dist/node/burrow.mjs" "$@"
