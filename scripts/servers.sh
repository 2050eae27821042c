#!/bin/bash
# Real mail and news servers on loopback for Unplug's interop suite.  No systemd; 127.0.0.1 only.
#
#   scripts/servers.sh install   apt-get the servers (Debian packages; needs root); no daemon is started
#   scripts/servers.sh config    write private configs under $UNPLUG_SERVERS_DIR (data is kept if present)
#   scripts/servers.sh start     start what is not running (configures first if needed); records our pids
#   scripts/servers.sh check     talk to every server (send, read, post) and fail on a wrong answer
#   scripts/servers.sh status    running / stopped per server, with pid and port
#   scripts/servers.sh paths     KEY=VALUE lines: base dir and the log files the interop tests read
#   scripts/servers.sh stop      stop only the processes this script started (by recorded pid)
#
# Servers (all bound to 127.0.0.1):
#   SMTP 10025  OpenSMTPD: accepts every recipient, delivers into Dovecot's Maildir for the local part, never relays
#   IMAP 10143, POP3 10110  Dovecot: user alice / secret, plaintext auth, log file shows "Logged out" / "Disconnected"
#   NNTP 10119  INN 2.7: group local.test, posting from localhost (send MODE READER first: localhost is a feeder)
#   PostgreSQL 10432  15: database unplug; users unplug / unplug-pw (SCRAM) and unplug_md5 / unplug-md5-pw (md5);
#               log_connections, log_disconnections, log_min_messages=debug1; max_connections 1200
#   MQTT 11883, MQTTS 18883  Mosquitto 2: users unplug / unplug-mqtt-pw (every topic) and reader / reader-pw (may
#               read public/#, nothing else); log_type all into mosquitto.log; TLS listener with a self-signed
#               certificate (trust store MOSQUITTO_TLS_TRUST_STORE, password unplug-interop)
#   WS 10080, WSS 10443  websocketd (as nobody), --loglevel=debug into websocketd.log / websocketd-tls.log, serving
#               /echo (cat: every message back) and /bye (says "bye" and exits: the server ends the session); TLS
#               with a self-signed certificate (trust store WEBSOCKETD_TLS_TRUST_STORE, password unplug-interop)
#   syslog      rsyslogd on /dev/log (only when nothing else serves it), so nnrpd's session lines land in a file
# Every action is idempotent.  Base dir: $UNPLUG_SERVERS_DIR, default ${TMPDIR:-/tmp}/unplug-servers.
set -euo pipefail
B=${UNPLUG_SERVERS_DIR:-${TMPDIR:-/tmp}/unplug-servers}
D=$B/dovecot S=$B/smtpd I=$B/inn L=$B/syslog P=$B/pids G=$B/postgres M=$B/mosquitto W=$B/websocketd
PGBIN=/usr/lib/postgresql/15/bin
# uftp: Debian's UFTP (uftp, uftpd), the real multicast file transfer the wds plugin is compared with in the interop suite
PACKAGES=(dovecot-imapd dovecot-pop3d opensmtpd inn2 rsyslog libpcap0.8 tcpdump tshark uftp iproute2 openssl
  postgresql-15 mosquitto mosquitto-clients websocketd nftables)

die() { echo "servers.sh: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || die "$1 needs root (the servers switch to their own users)"; }

# ---------------------------------------------------------------- processes we started
# A pid counts as ours only if its pidfile is ours and the process still has the expected name.
ours() {  # name comm -> prints pid when alive
  local p; p=$(cat "$P/$1.pid" 2>/dev/null) || return 1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
  grep -q ') Z' "/proc/$p/stat" 2>/dev/null && return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] || return 1
  echo "$p"
}
stop_one() {  # name comm [graceful command]
  local p; p=$(ours "$1" "$2") || { rm -f "$P/$1.pid"; return 0; }
  if [ -n "${3:-}" ]; then eval "$3" >/dev/null 2>&1 || kill "$p"; else kill "$p"; fi
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$p" 2>/dev/null; then echo "  $1 (pid $p) ignored SIGTERM for 10 s: SIGKILL" >&2; kill -9 "$p"; fi
  rm -f "$P/$1.pid"; echo "  stopped $1 (pid $p)"
}
wait_banner() {  # port prefix
  local l
  for _ in $(seq 1 150); do
    if { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then
      l=""; read -t 3 -r l <&3 || true; exec 3>&-
      [[ "$l" == "$2"* ]] && return 0
    fi
    sleep 0.1
  done
  die "no banner '$2' on 127.0.0.1:$1 after 15 s"
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- install
do_install() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && { echo "install: all packages present"; return 0; }
  [ "$(id -u)" -eq 0 ] || die "install needs root (apt-get); missing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts must not start system daemons on public ports: forbid service starts while installing.
  local made_policy="" rest=() rc=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  for p in "${missing[@]}"; do [ "$p" = inn2 ] || rest+=("$p"); done
  echo "install: ${missing[*]}"
  apt-get update -q || rc=$?
  if [ $rc -eq 0 ] && [ ${#rest[@]} -gt 0 ]; then apt-get install -y -q --no-install-recommends "${rest[@]}" || rc=$?; fi
  if [ $rc -eq 0 ] && [[ " ${missing[*]} " == *" inn2 "* ]]; then
    # inn2's postinst fails when the host name has no domain ("hostname does not resolve or domain not set").
    if ! apt-get install -y -q --no-install-recommends inn2; then
      sed -i -E 's/^#?domain:.*/domain: test/' /etc/news/inn.conf
      dpkg --configure -a || rc=$?
    fi
  fi
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || die "apt-get failed (exit $rc)"
}

# ---------------------------------------------------------------- config
do_config() {
  command -v dovecot >/dev/null && command -v smtpd >/dev/null && [ -x /usr/lib/news/bin/innd ] \
    && command -v mosquitto >/dev/null || die "servers not installed: run $0 install"
  mkdir -p "$B" "$P" "$L"
  # ---- Dovecot
  mkdir -p "$D/run" "$D/state" "$D/mail"; chown nobody:nogroup "$D/mail"
  echo 'alice:{PLAIN}secret::::::' > "$D/users"; chmod 644 "$D/users"
  cat > "$D/dovecot.conf" <<EOF
protocols = imap pop3
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
instance_name = unplug-dovecot
log_path = $D/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
mail_location = maildir:$D/mail/%u/Maildir
# Dovecot's defaults (10 sessions per user and address, 100 imap/pop3 processes) refuse a bulk test's logins;
# 1,000 sessions of one user from 127.0.0.1 are allowed here
mail_max_userip_connections = 1000
default_process_limit = 1100
default_client_limit = 2200
# client port in every line, so a test can find its own session
login_log_format_elements = user=<%u> method=%m rip=%r rport=%{rport} lip=%l mpid=%e %c session=<%{session}>
mail_log_prefix = "%s(%u)<%{pid}><%{session}>: "
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $D/users
  default_fields = uid=nobody gid=nogroup home=$D/mail/%u
}
service imap-login {
  service_count = 0
  process_min_avail = 1
  inet_listener imap {
    address = 127.0.0.1
    port = 10143
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  service_count = 0
  process_min_avail = 1
  inet_listener pop3 {
    address = 127.0.0.1
    port = 10110
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
  # ---- OpenSMTPD: every recipient goes to the Maildir of its local part; nothing is relayed
  mkdir -p "$S"
  cat > "$S/smtpd.conf" <<EOF
table catchall { "@" = "nobody" }
listen on 127.0.0.1 port 10025 hostname smtp.test
action "sink" maildir "$D/mail/%{rcpt.user}/Maildir" virtual <catchall>
match from any for any action "sink"
EOF
  smtpd -n -f "$S/smtpd.conf" >/dev/null 2>&1 || smtpd -n -f "$S/smtpd.conf" || die "bad $S/smtpd.conf"
  # ---- syslog sink for INN's nnrpd (it logs only through syslog)
  cat > "$L/rsyslog.conf" <<EOF
module(load="imuxsock" SysSock.Name="/dev/log")
global(workDirectory="$L")
news.notice  $I/log/news.notice
news.err     $I/log/news.err
news.*       $I/log/news.debug
*.*          $L/all.log
EOF
  # ---- INN: private instance selected by INNCONF; configs rewritten, spool and database kept
  mkdir -p "$I"/{etc,db,log,run,http,spool/{articles,overview,incoming/tmp,outgoing,archive}}
  cp -a /etc/news/. "$I/etc/"
  local C=$I/etc/inn.conf
  setp() { if grep -qE "^#?$1:" "$C"; then sed -i -E "s|^#?$1:.*|$1: $2|" "$C"; else echo "$1: $2" >> "$C"; fi; }
  setp domain test; setp pathhost news.test; setp server 127.0.0.1
  setp port 10119; setp bindaddress 127.0.0.1; setp nnrpdpostport 10119
  setp mta '"/bin/true %s"'; setp pgpverify false; setp doinnwatch false; setp htmlstatus false
  setp pathdb "$I/db"; setp pathetc "$I/etc"; setp pathlog "$I/log"; setp pathrun "$I/run"; setp pathhttp "$I/http"
  setp pathspool "$I/spool"; setp patharticles "$I/spool/articles"; setp pathoverview "$I/spool/overview"
  setp pathincoming "$I/spool/incoming"; setp pathtmp "$I/spool/incoming/tmp"
  setp pathoutgoing "$I/spool/outgoing"; setp patharchive "$I/spool/archive"
  if [ ! -s "$I/db/active" ]; then
    printf '%s\n' 'control 0000000000 0000000001 n' 'control.cancel 0000000000 0000000001 n' \
      'junk 0000000000 0000000001 n' 'local.test 0000000000 0000000001 y' > "$I/db/active"
    printf 'local.test\tLocal test group.\n' > "$I/db/newsgroups"
    touch "$I/db/active.times" "$I/db/history"
  fi
  touch "$I/log/news.notice" "$I/log/news.err" "$I/log/news.debug"
  inn_tls
  chown -R news:news "$I"
  if [ ! -e "$I/db/history.dir" ]; then
    (cd "$I/db" && setpriv --reuid=news --regid=news --init-groups \
      env INNCONF="$C" /usr/lib/news/bin/makedbz -i -o)
  fi
  pg_config
  mosquitto_config
  websocketd_config
  echo "config: written under $B"
}

# PostgreSQL: a private cluster (initdb once; PostgreSQL refuses root, so it runs as the packages' postgres user),
# 127.0.0.1 only, SCRAM for the test user and md5 for a second one, every session's start and end logged
pg_config() {
  [ -x "$PGBIN/postgres" ] || die "PostgreSQL 15 not installed: run $0 install"
  mkdir -p "$G/run"
  if [ ! -s "$G/data/PG_VERSION" ]; then
    rm -rf "$G/data"; mkdir -p "$G/data"; chown -R postgres:postgres "$G"
    setpriv --reuid=postgres --regid=postgres --init-groups "$PGBIN/initdb" -D "$G/data" -U postgres \
      -E UTF8 --locale=C --auth-local=trust --auth-host=scram-sha-256 >"$G/initdb.log" 2>&1 \
      || die "initdb failed; see $G/initdb.log"
  fi
  cat > "$G/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = 10432
unix_socket_directories = '$G/run'
max_connections = 1200
shared_buffers = 64MB
password_encryption = 'scram-sha-256'
log_connections = on
log_disconnections = on
log_min_messages = debug1
log_line_prefix = '%m [%p] %u@%d '
logging_collector = off
EOF
  cat > "$G/data/pg_hba.conf" <<EOF
local all all trust
host all unplug_md5 127.0.0.1/32 md5
host all all 127.0.0.1/32 scram-sha-256
EOF
  touch "$G/postgresql.log"
  chown -R postgres:postgres "$G"
}
# PostgreSQL ends each of its process-per-connection backends with work in the kernel (about 4 ms each here, one
# after another): a bulk test ending 1,000 sessions at once kept both cores of a 2-core machine busy for seconds
# (65 % system time), and the client under test, starved, overran its 2 s deadline by 4-8 s. A database has a host
# of its own: here the server gets one core's worth of CPU through a cgroup quota, and the client the rest. Without
# a cpu cgroup controller (or with one core) it runs uncapped, as before. Prints the cgroup's folder, or nothing.
pg_cgroup() {
  [ "$(nproc)" -ge 2 ] || return 0
  local cg
  if [ -d /sys/fs/cgroup/cpu ] && [ -w /sys/fs/cgroup/cpu ]; then
    cg=/sys/fs/cgroup/cpu/unplug-postgres
    mkdir -p "$cg" 2>/dev/null && echo 100000 > "$cg/cpu.cfs_period_us" 2>/dev/null \
      && echo 100000 > "$cg/cpu.cfs_quota_us" 2>/dev/null && echo "$cg"
  elif grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    cg=/sys/fs/cgroup/unplug-postgres
    echo +cpu > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
    mkdir -p "$cg" 2>/dev/null && echo "100000 100000" > "$cg/cpu.max" 2>/dev/null && echo "$cg"
  fi
  return 0
}
pg_sql() { setpriv --reuid=postgres --regid=postgres --init-groups "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
  -h "$G/run" -p 10432 -U postgres -d postgres "$@"; }

# A self-signed certificate for 127.0.0.1 and localhost in DIR (tls-cert.pem, tls-key.pem) and a PKCS12 trust store
# holding it for the Java clients of the interop suite (password "unplug-interop", not a secret: a test CA nobody
# trusts).  Usage: self_signed DIR OWNER
self_signed() {
  local dir=$1 owner=$2
  if [ ! -s "$dir/tls-cert.pem" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
      -keyout "$dir/tls-key.pem" -out "$dir/tls-cert.pem" 2>/dev/null || die "openssl could not make a certificate in $dir"
    rm -f "$dir/tls-trust.p12"
  fi
  if [ ! -s "$dir/tls-trust.p12" ]; then
    local keytool; keytool=$(command -v keytool || echo "${JAVA_HOME:-/nonexistent}/bin/keytool")
    "$keytool" -importcert -noprompt -alias server -file "$dir/tls-cert.pem" -keystore "$dir/tls-trust.p12" \
      -storetype PKCS12 -storepass unplug-interop >/dev/null 2>&1 || die "keytool could not make a trust store in $dir"
  fi
  chown "$owner" "$dir/tls-key.pem"; chmod 0640 "$dir/tls-key.pem"; chmod 0644 "$dir/tls-cert.pem" "$dir/tls-trust.p12"
}
# INN's STARTTLS (RFC 4642)
inn_tls() {
  self_signed "$I/etc" news:news
  setp tlscertfile "$I/etc/tls-cert.pem"; setp tlskeyfile "$I/etc/tls-key.pem"
}
# Mosquitto: 127.0.0.1 only, two users and an ACL, every log line (connects, DISCONNECTs, closes, Wills)
mosquitto_config() {
  mkdir -p "$M"
  self_signed "$M" mosquitto:mosquitto
  rm -f "$M/passwd"; touch "$M/passwd"
  mosquitto_passwd -b "$M/passwd" unplug unplug-mqtt-pw 2>/dev/null
  mosquitto_passwd -b "$M/passwd" reader reader-pw 2>/dev/null
  cat > "$M/acl" <<EOF
user unplug
topic readwrite #
user reader
topic read public/#
EOF
  cat > "$M/mosquitto.conf" <<EOF
user mosquitto
per_listener_settings false
persistence false
allow_anonymous false
password_file $M/passwd
acl_file $M/acl
log_dest file $M/mosquitto.log
log_type all
log_timestamp true
log_timestamp_format %Y-%m-%dT%H:%M:%S
connection_messages true
max_keepalive 65535
listener 11883 127.0.0.1
listener 18883 127.0.0.1
certfile $M/tls-cert.pem
keyfile $M/tls-key.pem
EOF
  touch "$M/mosquitto.log"
  chown -R mosquitto:mosquitto "$M"; chmod 0600 "$M/passwd"; chmod 0644 "$M/tls-trust.p12"
}

# websocketd: two instances (plain and TLS) serving the scripts of one folder, one program per connection
websocketd_config() {
  mkdir -p "$W/scripts"
  printf '#!/bin/sh\n# every message back, line by line\nexec cat\n' > "$W/scripts/echo"
  printf '#!/bin/sh\n# one message, then the program exits: websocketd ends the session\necho bye\n' > "$W/scripts/bye"
  chmod 0755 "$W/scripts/echo" "$W/scripts/bye"
  self_signed "$W" nobody:nogroup
  touch "$W/websocketd.log" "$W/websocketd-tls.log"
  chown nobody:nogroup "$W/websocketd.log" "$W/websocketd-tls.log"
}

# ---------------------------------------------------------------- start / stop
do_start() {
  [ -f "$D/dovecot.conf" ] && [ -f "$I/etc/inn.conf" ] && [ -f "$L/rsyslog.conf" ] \
    && [ -s "$I/etc/tls-trust.p12" ] && [ -s "$G/data/PG_VERSION" ] && [ -s "$M/mosquitto.conf" ] \
    && [ -x "$W/scripts/echo" ] || do_config
  mkdir -p "$P"
  if ! ours syslog rsyslogd >/dev/null; then
    # a socket file nobody reads (left by a syslog daemon that has stopped, ours included) is not a daemon
    if [ -S /dev/log ] && ! logger --socket-errors=on -u /dev/log -p user.debug "unplug servers.sh probe" 2>/dev/null
    then
      rm -f /dev/log
    fi
    if [ -S /dev/log ]; then
      echo "  /dev/log is served by another syslog daemon: nnrpd's lines go where it puts them, not $I/log" >&2
    else
      nohup rsyslogd -n -f "$L/rsyslog.conf" -i "$L/rsyslogd.pid" > "$L/rsyslogd.out" 2>&1 &
      echo $! > "$P/syslog.pid"
      for _ in $(seq 1 50); do [ -S /dev/log ] && break; sleep 0.1; done
      [ -S /dev/log ] || die "rsyslogd did not create /dev/log; see $L/rsyslogd.out"
    fi
  fi
  if ! ours dovecot dovecot >/dev/null; then
    listening 10143 && die "127.0.0.1:10143 is taken by a process this script did not start"
    nohup dovecot -F -c "$D/dovecot.conf" > "$D/stdout.log" 2>&1 &
    echo $! > "$P/dovecot.pid"
    wait_banner 10143 '* OK'; wait_banner 10110 '+OK'
  fi
  if ! ours smtpd smtpd >/dev/null; then
    listening 10025 && die "127.0.0.1:10025 is taken by a process this script did not start"
    nohup smtpd -d -f "$S/smtpd.conf" >> "$S/smtpd.log" 2>&1 &
    echo $! > "$P/smtpd.pid"
    wait_banner 10025 '220'
  fi
  if ! ours innd innd >/dev/null; then
    listening 10119 && die "127.0.0.1:10119 is taken by a process this script did not start"
    INNCONF=$I/etc/inn.conf nohup setpriv --reuid=news --regid=news --init-groups \
      /usr/lib/news/bin/innd -f >> "$I/log/innd.out" 2>&1 &
    echo $! > "$P/innd.pid"
    wait_banner 10119 '200'
    # nnrpd started from now on traces every command ("< QUIT", "> 205 Bye!") at debug level into news.debug:
    # without it a QUIT and a plain close log the same lines.
    INNCONF=$I/etc/inn.conf /usr/lib/news/bin/ctlinnd -t 10 trace nnrpd y >/dev/null
  fi
  if ! ours postgres postgres >/dev/null; then
    listening 10432 && die "127.0.0.1:10432 is taken by a process this script did not start"
    rm -f "$G/data/postmaster.pid"
    PGCG=$(pg_cgroup)
    [ -n "$PGCG" ] && echo "  postgres: one core's worth of CPU (cgroup $PGCG), as a server on a host of its own"
    # the shell joins the cgroup and then becomes the server (exec), so every backend it forks is in it too
    nohup sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$PGCG" \
      setpriv --reuid=postgres --regid=postgres --init-groups "$PGBIN/postgres" -D "$G/data" \
      >> "$G/postgresql.log" 2>&1 &
    echo $! > "$P/postgres.pid"
    for _ in $(seq 1 150); do pg_sql -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.1; done
    pg_sql -c 'SELECT 1' >/dev/null || die "PostgreSQL did not start; see $G/postgresql.log"
    pg_sql <<'EOF' >/dev/null
SET client_min_messages = warning;
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'unplug') THEN
    CREATE ROLE unplug LOGIN PASSWORD 'unplug-pw';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'unplug_one') THEN
    -- one session at a time: the interop suite meets SQLSTATE 53300 (too many connections) through it
    CREATE ROLE unplug_one LOGIN PASSWORD 'unplug-one-pw' CONNECTION LIMIT 1;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'unplug_md5') THEN
    SET LOCAL password_encryption = 'md5';
    CREATE ROLE unplug_md5 LOGIN PASSWORD 'unplug-md5-pw';
  END IF;
END $$;
GRANT pg_read_all_stats TO unplug, unplug_md5;
GRANT pg_signal_backend TO unplug;
EOF
    pg_sql -tAc "SELECT 1 FROM pg_database WHERE datname = 'unplug'" | grep -q 1 \
      || pg_sql -c 'CREATE DATABASE unplug OWNER unplug' >/dev/null
  fi
  if ! ours mosquitto mosquitto >/dev/null; then
    listening 11883 && die "127.0.0.1:11883 is taken by a process this script did not start"
    nohup mosquitto -c "$M/mosquitto.conf" > "$M/stdout.log" 2>&1 &
    echo $! > "$P/mosquitto.pid"
    for _ in $(seq 1 50); do listening 11883 && listening 18883 && break; sleep 0.1; done
    listening 18883 || die "Mosquitto did not start; see $M/stdout.log and $M/mosquitto.log"
  fi
  local name port tls
  for name in websocketd:10080: websocketd-tls:10443:tls; do
    IFS=: read -r name port tls <<<"$name"
    if ! ours "$name" websocketd >/dev/null; then
      listening "$port" && die "127.0.0.1:$port is taken by a process this script did not start"
      nohup setpriv --reuid=nobody --regid=nogroup --clear-groups websocketd --address=127.0.0.1 --port="$port" \
        --loglevel=debug --dir="$W/scripts" ${tls:+--ssl --sslcert="$W/tls-cert.pem" --sslkey="$W/tls-key.pem"} \
        >> "$W/$name.log" 2>&1 &
      echo $! > "$P/$name.pid"
      for _ in $(seq 1 50); do listening "$port" && break; sleep 0.1; done
      listening "$port" || die "websocketd did not start on $port; see $W/$name.log"
    fi
  done
  do_status
}
do_stop() {
  # the three servers in parallel (each takes 2-3 s to wind down), the syslog sink last so it keeps their goodbyes
  stop_one innd innd "INNCONF=$I/etc/inn.conf /usr/lib/news/bin/ctlinnd -t 10 shutdown unplug" &
  stop_one smtpd smtpd &
  stop_one dovecot dovecot &
  stop_one postgres postgres &
  stop_one mosquitto mosquitto &
  stop_one websocketd websocketd &
  stop_one websocketd-tls websocketd &
  wait
  stop_one syslog rsyslogd
}
do_status() {
  local n c port p rc=0
  for n in syslog:rsyslogd:- dovecot:dovecot:10143,10110 smtpd:smtpd:10025 innd:innd:10119 \
      postgres:postgres:10432 mosquitto:mosquitto:11883,18883 \
      websocketd:websocketd:10080 websocketd-tls:websocketd:10443; do
    IFS=: read -r n c port <<<"$n"
    if p=$(ours "$n" "$c"); then echo "  $n running pid=$p ports=$port"; else echo "  $n stopped"; rc=3; fi
  done
  return $rc
}
do_paths() {
  cat <<EOF
BASE=$B
DOVECOT_LOG=$D/dovecot.log
DOVECOT_MAILDIR=$D/mail/alice/Maildir
SMTPD_LOG=$S/smtpd.log
INN_NOTICE_LOG=$I/log/news.notice
INN_ERR_LOG=$I/log/news.err
INN_DEBUG_LOG=$I/log/news.debug
INN_NEWS_LOG=$I/log/news
INN_TLS_TRUST_STORE=$I/etc/tls-trust.p12
POSTGRES_LOG=$G/postgresql.log
MOSQUITTO_LOG=$M/mosquitto.log
MOSQUITTO_TLS_TRUST_STORE=$M/tls-trust.p12
WEBSOCKETD_LOG=$W/websocketd.log
WEBSOCKETD_TLS_LOG=$W/websocketd-tls.log
WEBSOCKETD_TLS_TRUST_STORE=$W/tls-trust.p12
SYSLOG_ALL=$L/all.log
EOF
}

# ---------------------------------------------------------------- check
do_check() {
  local l fail=0
  t() { exec 3<>"/dev/tcp/127.0.0.1/$1" || die "cannot connect to 127.0.0.1:$1"; }
  say() { printf '%s\r\n' "$1" >&3; }
  expect() {  # label prefix [multiline]
    l=""
    while read -r -t 5 l <&3; do l=${l%$'\r'}; [ -z "${3:-}" ] && break; [[ "$l" =~ ^[0-9]{3}\  ]] && break; done
    if [[ "$l" == "$2"* ]]; then echo "  ok   $1: ${l:0:70}"; else echo "  FAIL $1: expected '$2', got '${l:0:70}'"; fail=1; fi
  }
  local tag=check-$$-$(date +%s)
  echo SMTP; t 10025; expect banner 220 m
  say 'EHLO client.test'; expect EHLO 250 m
  say 'MAIL FROM:<bob@example.test>'; expect MAIL 250 m
  say 'RCPT TO:<alice@example.test>'; expect RCPT 250 m
  say DATA; expect DATA 354 m
  printf 'Subject: %s\r\n\r\nhello\r\n.\r\n' "$tag" >&3; expect end-of-data 250 m
  say QUIT; expect QUIT 221 m; exec 3>&-
  echo IMAP; t 10143; expect banner '* OK'
  say 'a1 LOGIN alice secret'; expect LOGIN 'a1 OK'
  local n=0; while [ $n -lt 50 ] && ! grep -rqs "Subject: $tag" "$D/mail/alice/Maildir/new" "$D/mail/alice/Maildir/cur"; do
    sleep 0.1; n=$((n+1)); done
  say 'a2 STATUS INBOX (MESSAGES)'; expect STATUS '* STATUS'; expect STATUS 'a2 OK'
  say 'a3 LOGOUT'; expect LOGOUT '* BYE'; expect LOGOUT 'a3 OK'; exec 3>&-
  echo POP3; t 10110; expect banner '+OK'
  for c in 'USER alice' 'PASS secret' 'STAT' 'QUIT'; do say "$c"; expect "$c" '+OK'; done; exec 3>&-
  echo NNTP; t 10119; expect banner 200
  say 'MODE READER'; expect 'MODE READER' 20
  say 'GROUP local.test'; expect GROUP 211
  say POST; expect POST 340
  printf 'From: ci <ci@example.test>\r\nNewsgroups: local.test\r\nSubject: %s\r\n\r\nbody\r\n.\r\n' "$tag" >&3
  expect article 240
  say 'GROUP local.test'; expect GROUP 211; say QUIT; expect QUIT 205; exec 3>&-
  [ $fail -eq 0 ] || die "check failed"
  echo "check: all servers answered"
}

case "${1:-}" in
  install) do_install ;;
  config) need_root config; do_config ;;
  start) need_root start; do_start ;;
  check) do_check ;;
  status) do_status ;;
  paths) do_paths ;;
  stop) need_root stop; do_stop ;;
  *) echo "usage: $0 install|config|start|check|status|paths|stop" >&2; exit 2 ;;
esac
