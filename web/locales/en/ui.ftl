### The web simulator's own words: pages, controls and messages. The explanations and
### the lessons' text are the core's (core/locales/).

## The shell

app-title = wasmtp — SMTP, step by step
app-tagline = Every step below is produced by the wasmtp SMTP engine, running in this page.
nav-sections = Sections
tab-lessons = Lessons
tab-sandbox = Sandbox
tab-terminal = Terminal
tab-reference = Reference
language-label = Language

## The lesson list and the journey picture

lessons-title = Lessons
lessons-progress = { $done } of { $total } played to the end
lesson-done = done
lesson-score = { $right } of { $total } right at the first try
journey-caption = How an email travels: pick a part to see it happen
journey-mua = Alice's mail program
journey-mua-role = MUA
journey-msa = Her provider's submission server
journey-msa-role = MSA, port 587
journey-dns = DNS: who takes mail for example.org?
journey-dns-role = MX records
journey-mx = Bob's mail server
journey-mx-role = MX, an MTA
journey-backup = A backup, when it is down
journey-backup-role = backup MX
journey-mailbox = Bob's mailbox
journey-mailbox-role = MDA, Maildir
journey-fetch = Bob's mail program fetches it
journey-fetch-role = POP3 or IMAP
host-mail-client = { $owner } (mail client)

## A lesson's page

lesson-back = ← All lessons
lesson-notice = What to notice
lesson-try-this = Try this
lesson-next = Next lesson →

## Try this: changes to a lesson, run in the sandbox

try-unknown-recipient = Send to someone who does not exist
try-read-with-pop3 = Let Bob download it with POP3 instead
try-mx-to-a = Remove the MX records and give the domain an A record
try-preferred-mx-down = Take the most preferred mail host down
try-swap-mx-preferences = Swap the MX preferences
try-primary-up = Bring the primary back up
try-no-backup = Remove the backup MX
try-another-seed = Run it with another random seed
try-one-mx-preferred = Give one of the hosts preference 5
try-remove-a-record = Remove the A record too
try-add-mx = Give the domain an MX record
try-remove-null-mx = Remove the null MX record
try-null-mx-to-missing-host = Replace the null MX with an MX whose host has no address
try-greylisting-off = Turn greylisting off
try-also-to-carol = Send to Carol as well
try-give-nobody-a-mailbox = Give nobody a mailbox
try-fill-bobs-mailbox = Fill Bob's mailbox
try-no-size-limit = Lift the mail host's size limit
try-smaller-message = Send a short message instead
try-esmtp-again = Give the server ESMTP back
try-eight-bit-body = Write the message with accented letters
try-pipelining-nowhere = Turn PIPELINING off on every mail host
try-pipelining-everywhere = Turn PIPELINING on everywhere
try-smtputf8-on = Give the mail host SMTPUTF8
try-ascii-recipient = Write the address in ASCII: juergen
try-strict-everywhere = Make the lax server strict
try-lax-everywhere = Make every server lax
try-greet-at-once = Let mx.example.org greet at once, as most servers do
try-greeting-delay-everywhere = Hold the greeting back on every mail host
try-without-starttls = Take STARTTLS away from the mail host
try-honest-starttls-client = Let the client wait for STARTTLS's 220 before it goes on
try-srv-off = Route by MX instead of SRV
try-remove-srv-records = Remove the SRV records
try-mailbox-down = Take the mail host down for an hour
try-break-last-uucp-link = Cut the last UUCP link
try-uucp-every-hour = Let the UUCP hosts call every hour

## "What happens next?": a lesson's questions

exercises-title = What happens next?
exercises-intro = Answer before you play on. The simulator's own run decides what is right, so a question about a changed world has that world's answer.
exercises-score = Right at the first try: { $right } of { $total }
exercise-asked-at = Step { $step }:
exercise-right = Right: that is what happened.
exercise-wrong = Not this one. Think about what the server knows at this moment, then try again.
exercise-show = See it at step { $step }

## The sandbox's challenges

challenges-title = Challenges
challenges-intro = Change the world so that the simulator's run reaches the goal. Any change that works counts.
challenges-progress = { $met } of { $total } met
challenge-start = Start
challenge-current = Your goal:
challenge-met = Goal met!
challenge-not-yet = Not yet: change the world and run it again.
challenge-done = met
challenge-bounce-5-1-1 = Make the message bounce with 5.1.1 (no such mailbox).
challenge-greylisted-then-delivered = Get the message greylisted (451 4.7.1), yet still delivered.
challenge-null-mx = Make example.org refuse all mail with a null MX, so that the message bounces at once.
challenge-backup-within-ten-minutes = Get the message through the backup MX and into Bob's mailbox within ten minutes.

## The player

player-label = Step-through player
player-no-steps = This trace has no steps.
player-controls = Playback
player-previous = ◀ Back
player-previous-label = Previous step (←)
player-play = ▶ Play
player-play-label = Play (space)
player-pause = ❚❚ Pause
player-pause-label = Pause (space)
player-next = Next ▶
player-next-label = Next step (→)
player-step = Step { $step } of { $total }
player-jump = Jump to step
player-speed = Speed
player-speed-label = Playback speed
speed-slow = slow
speed-normal = normal
speed-fast = fast
speed-very-fast = very fast
player-show-crlf = show CR LF
player-chapters = Chapters
player-chapter = { $title } · step { $step }
player-clock = virtual clock
player-queue = Queue of { $host }: message { $message }
player-outcome = Outcome
player-outcome-text = Delivered: { $delivered }. Failed: { $failed }. Pending: { $pending }. { $round_trips } SMTP round trips, { $duration } of virtual time.
list-none = none
crlf-title = CR LF: the two bytes that end every SMTP line
crlf-bare-lf-title = a bare LF: not a line end in SMTP (RFC 5321 §2.3.8)
crlf-bare-cr-title = a bare CR: not a line end in SMTP (RFC 5321 §2.3.8)
sequence-label = Who sends what to whom, step by step
sequence-arrow = Step { $step }: { $kind }, { $from } → { $to }
network-label = The hosts, the MX records of the recipient's domain, and who is talking now

## The network map

role-submission = submission
role-mailbox = mailbox
role-backup = backup
host-up = up
host-down = down

## What each step is

kind-dns-query = DNS question
kind-dns-answer = DNS answer
kind-connect = connection
kind-connect-failed = connection failed
kind-command = command
kind-reply = reply
kind-data = message data
kind-tls = TLS
kind-queue = queue
kind-retry = retry scheduled
kind-deliver = delivery
kind-bounce = bounce
kind-fetch = mail client
kind-uucp = UUCP
kind-note = note

## The delivered message

message-label = The message
message-delivered = Delivered to { $mailbox }
message-path = Each server on the way added a Received field at the top; read from the bottom up, they are the message's path:
message-hop = { $from } handed it to { $by } over { $with } ({ $meaning }), at { $date }
message-whole = The whole message as stored
message-bounce = A bounce (delivery status notification)
message-bounce-text = The message could not be delivered, so the server that held it wrote a report to the sender (RFC 3464): a human-readable part, a machine-readable message/delivery-status part, and the original message or its header.
protocol-esmtpsa = ESMTP, encrypted and authenticated
protocol-esmtps = ESMTP, encrypted
protocol-esmtpa = ESMTP, authenticated
protocol-esmtp = extended SMTP
protocol-smtp = plain SMTP
protocol-other = its protocol

## The sandbox

sandbox-title = Sandbox: { $title }
sandbox-intro = Change the world and run it again: every step comes from the real engine.
sandbox-run = Run
sandbox-show-forms = Show the forms
sandbox-show-json = Show the JSON
sandbox-share = Share link
sandbox-link = Link
sandbox-json = Scenario (JSON, format version 1)
sandbox-envelope = Envelope and message
sandbox-sender = Sender
sandbox-recipients = Recipients (comma-separated)
sandbox-subject = Subject
sandbox-dns = DNS records
sandbox-add-record = Add a record
sandbox-hosts = Hosts
field-name = Name
field-type = Type
field-value = Value
field-address = Address
field-role = Role
field-down-minutes = Down for minutes
field-behaviours = Behaviours
sandbox-remove = Remove
sandbox-remove-label = Remove { $record }
changed-title = What changed
changed-part = The runs part at step { $step }.
changed-before = Before
changed-now = Now
changed-had-ended = (the run had ended)
changed-has-ended = (the run has ended)
changed-nothing = Nothing: the run takes the same steps as the lesson's.
changed-outcome-before = Outcome before
changed-outcome-now = Outcome now
changed-outcome = delivered: { $delivered }; failed: { $failed }; pending: { $pending }; { $round_trips } round trips in { $seconds } s

## The terminal

terminal-title = Terminal
terminal-intro = You are the client; the server is { $server } (the real wasmtp server session) and takes mail for { $domain }. Type a command and press Enter; after DATA, type the message and end it with a line holding only a dot.
terminal-profile = Server profile
terminal-start-over = Start over
terminal-closed = The server closed the connection. Start over to connect again.
terminal-message-line = Message line (a lone . ends it)
terminal-command = Command
terminal-send = Send
terminal-next = Next, try:
stored-label = The message as stored
stored-title = The message as the server stored it
stored-intro = The server added two fields at the top (RFC 5321 §4.4): Return-Path, the envelope sender where bounces go, and Received, one per server on the way, newest first. Its parts:
received-from = the name your client gave in EHLO, then in brackets the address the connection really came from
received-by = the server that took the message, and its software
received-with = the protocol: ESMTP after EHLO, SMTP after HELO; an S for TLS, an A after AUTH
received-id = the queue id: the server's name for this message in its logs and replies
received-for = the recipient, given when there is only one
received-date = when the server took responsibility for the message

## The reference

reference-title = Reference
reference-search = Search
reference-placeholder = 550, 5.1.1, EHLO, greylisting…
reference-count = { $shown } of { $total } entries
