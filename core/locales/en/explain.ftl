### What SMTP's commands, replies, enhanced status codes, EHLO keywords and the
### simulator's topics mean, for a reader who is learning SMTP. Each message is one or two
### sentences; the RFC section that defines it is kept beside its key in the code.

## Reply codes (RFC 5321 §4.2)

reply-211 = System status or help reply.
reply-214 = Help message, meant for a human reader.
reply-220 = The server is ready: this greeting opens every SMTP session and names the server.
reply-221 = The server is closing the connection, normally in answer to QUIT.
reply-235 = Authentication succeeded.
reply-250 = The requested action is done: the command was accepted.
reply-251 = The user is not local; the server will forward the message.
reply-252 = The server cannot verify the user, but will accept the message and try to deliver it.
reply-334 = A challenge in an AUTH exchange: the client answers with a base64 line.
reply-354 = Start sending the message; end it with a line holding a single dot (<CRLF>.<CRLF>).
reply-421 = The service is not available and the server closes the connection; try again later.
reply-432 = A password transition is needed before authenticating.
reply-450 = The mailbox is unavailable for now (busy, or blocked by policy); try again later.
reply-451 = The action was aborted by a local error on the server; try again later.
reply-452 = Not enough storage on the server, or too many recipients; try again later.
reply-454 = Temporary authentication failure, or TLS is not available for now.
reply-455 = The server cannot accommodate these parameters now.
reply-500 = Syntax error: the command was not recognized, or the line was too long.
reply-501 = Syntax error in the parameters or arguments of the command.
reply-502 = The command is valid SMTP but this server does not implement it.
reply-503 = Bad sequence of commands: this command is not allowed at this point of the dialogue.
reply-504 = A parameter of the command is not implemented.
reply-521 = This host accepts no mail at all.
reply-523 = The message is larger than the server will ever accept.
reply-530 = Authentication is required before this command.
reply-534 = The chosen authentication mechanism is too weak.
reply-535 = Authentication failed: the credentials are invalid.
reply-538 = Encryption is required for the requested authentication mechanism.
reply-550 = The mailbox is unavailable (unknown, or refused by policy); do not retry unchanged.
reply-551 = The user is not local; the server names where to send instead.
reply-552 = The message exceeds the storage or size the server allows.
reply-553 = The mailbox name is not allowed (bad syntax).
reply-554 = The transaction failed; in a greeting, the server will not talk to this client.
reply-555 = A MAIL FROM or RCPT TO parameter is not recognized or not implemented.
reply-556 = The recipient's domain accepts no mail.

## What the first digit says (RFC 5321 §4.2.1)

reply-class-2 = Success: the requested action has been completed.
reply-class-3 = Accepted so far: the server waits for more information.
reply-class-4 = Temporary failure: the action did not happen, but may succeed if tried again later.
reply-class-5 = Permanent failure: the action did not happen and repeating it unchanged will fail again.

## Enhanced status codes (RFC 3463)

enhanced-0-0 = Other or undefined status: the reply says no more than its class.
enhanced-1-0 = Something about an address, not covered by a more specific code.
enhanced-1-1 = The mailbox does not exist at the destination: the user is unknown.
enhanced-1-2 = The destination system (the part after @) does not exist or takes no mail.
enhanced-1-3 = The recipient address is not valid syntax.
enhanced-1-4 = The recipient address is ambiguous: it matches several mailboxes.
enhanced-1-5 = The recipient address is valid (a success code).
enhanced-1-6 = The mailbox has moved and there is no forwarding address.
enhanced-1-7 = The sender address is not valid syntax.
enhanced-1-8 = The sender's system is not valid or takes no replies.
enhanced-1-9 = The message was relayed to a system that does not send delivery reports.
enhanced-1-10 = The recipient's domain publishes a null MX: it accepts no mail at all.
enhanced-2-0 = Something about the mailbox, not covered by a more specific code.
enhanced-2-1 = The mailbox exists but is disabled and takes no messages.
enhanced-2-2 = The mailbox is full.
enhanced-2-3 = The message is longer than this mailbox accepts.
enhanced-2-4 = A mailing list could not be expanded.
enhanced-3-0 = Something about the receiving mail system, not covered by a more specific code.
enhanced-3-1 = The mail system's storage is full.
enhanced-3-2 = The system is not taking messages now (e.g. shutting down).
enhanced-3-3 = The system lacks a feature the message needs.
enhanced-3-4 = The message is larger than the system accepts.
enhanced-3-5 = The system is configured wrongly.
enhanced-4-0 = Something about the network or routing, not covered by a more specific code.
enhanced-4-1 = No answer from the host: the connection could not be made.
enhanced-4-2 = The connection was made but broke or timed out.
enhanced-4-3 = A directory server (such as DNS) failed.
enhanced-4-4 = No route to the destination: e.g. no MX and no address for the domain.
enhanced-4-5 = The mail system is congested; try later.
enhanced-4-6 = A routing loop: the message passed the same hosts too often.
enhanced-4-7 = The message stayed in the queue too long and expired.
enhanced-5-0 = Something about the SMTP protocol, not covered by a more specific code.
enhanced-5-1 = The command is not valid here, or not implemented.
enhanced-5-2 = The command could not be parsed: a syntax error.
enhanced-5-3 = Too many recipients for one message.
enhanced-5-4 = The command's arguments or parameters are not valid.
enhanced-5-5 = The protocol versions of client and server do not match.
enhanced-5-6 = A line of the authentication exchange is too long.
enhanced-6-0 = Something about the message content, not covered by a more specific code.
enhanced-6-1 = A media type in the message is not supported.
enhanced-6-2 = The content would need converting, which is prohibited.
enhanced-6-3 = The content would need converting, which is not supported.
enhanced-6-4 = The content was converted with loss.
enhanced-6-5 = Converting the content failed.
enhanced-6-6 = The message content is not available (e.g. for BURL).
enhanced-6-7 = A non-ASCII address is not allowed for this sender or recipient (SMTPUTF8 missing).
enhanced-6-8 = A UTF-8 reply is needed but the client does not accept it.
enhanced-6-9 = A message with UTF-8 headers cannot go to one or more recipients.
enhanced-7-0 = Something about security or policy, not covered by a more specific code.
enhanced-7-1 = Delivery is not authorized: refused by policy, e.g. relaying denied.
enhanced-7-2 = Expanding the mailing list is not allowed.
enhanced-7-3 = A security conversion is required but not possible.
enhanced-7-4 = The security features the message needs are not supported.
enhanced-7-5 = A cryptographic operation failed.
enhanced-7-6 = The cryptographic algorithm is not supported.
enhanced-7-7 = The message failed an integrity check.
enhanced-7-8 = The authentication credentials are invalid.
enhanced-7-9 = The authentication mechanism is too weak.
enhanced-7-10 = Encryption is needed for this.
enhanced-7-11 = The authentication mechanism needs an encrypted connection: use STARTTLS first.
enhanced-7-12 = A password transition is needed.
enhanced-7-13 = The user account is disabled.
enhanced-7-14 = A trust relationship is required.
enhanced-7-15 = The message's priority level is too low.
enhanced-7-16 = The message is too big for its priority.
enhanced-7-17 = The mailbox has a new owner since the sender last checked.
enhanced-7-18 = The domain has a new owner since the sender last checked.
enhanced-7-19 = The required-recipient-valid-since test cannot be completed.
enhanced-7-20 = No passing DKIM signature was found.
enhanced-7-21 = No acceptable DKIM signature was found.
enhanced-7-22 = No valid DKIM signature matching the author was found.
enhanced-7-23 = The sender's SPF check failed.
enhanced-7-24 = The SPF check could not be completed.
enhanced-7-25 = The client's reverse DNS check failed.
enhanced-7-26 = Several authentication checks failed.
enhanced-7-27 = The sender's domain publishes a null MX, so it can receive no replies.
enhanced-7-29 = The message failed ARC validation.
enhanced-7-30 = The message requires TLS all the way (REQUIRETLS), which cannot be met.

## Enhanced classes

enhanced-class-2 = Success
enhanced-class-4 = Persistent transient failure: it may work later
enhanced-class-5 = Permanent failure: it will not work unchanged

## Commands (RFC 5321 §4.1.1)

command-ehlo = The client greets the server with its own name and asks which extensions (ESMTP) the server offers; it also resets any transaction.
command-helo = The original greeting, without extensions: the client names itself and the server answers with plain SMTP.
command-mail = Starts a mail transaction and gives the reverse path: where reports about this message (bounces) go. <> means none, as in a bounce itself.
command-rcpt = Names one recipient of the message. The server answers for each recipient on its own; a message can have many.
command-data = Asks to send the message. After 354 the client sends header and body, ending with a line holding a single dot; lines starting with a dot get one more.
command-bdat = Sends a chunk of the message with its exact size in octets, so no dot-stuffing or end marker is needed; LAST marks the final chunk.
command-rset = Abandons the current mail transaction: sender, recipients and data are forgotten, the connection stays.
command-vrfy = Asks whether a user or mailbox exists. Most servers decline to say (252), since the answer helps spammers harvest addresses.
command-expn = Asks the server to expand a mailing list into its members; almost always refused for privacy.
command-help = Asks for help text meant for a human at a terminal.
command-noop = Does nothing but get a 250 reply: a keep-alive and a check that the server still answers.
command-quit = Ends the session: the server answers 221 and closes the connection.
command-starttls = Upgrades the connection to TLS. After the server's 220 both sides run the TLS handshake and start over with EHLO; anything sent before is forgotten.
command-auth = Authenticates the client with a SASL mechanism such as PLAIN or LOGIN, usually so a user may send mail to other domains.

## Replies in their place

answer-greeting-220 = The server is ready and says who it is. Only now may the client speak, starting with EHLO.
answer-ehlo-250 = The server greets the client by the name it gave. Every further line names an SMTP extension the client may use in this session.
answer-helo-250 = The server greets the client, plain SMTP: no extension list, so the client uses none of them.
answer-starttls-220 = Start the TLS handshake now. Once it is done, both sides forget the session so far and the client begins again with EHLO.
answer-auth-235 = The credentials are good: the client is logged in for the rest of the session, and may now send mail on its user's behalf.
answer-mail-250 = The sender is taken and a new mail transaction has begun. Next the client names each recipient with RCPT TO.
answer-rcpt-250 = The server will take mail for this recipient. The client may name more recipients, then send DATA.
answer-data-354 = Go ahead: the server now reads the message itself, header and body, until a line that holds only a dot.
answer-end-of-data-250 = The message is accepted. From this moment the receiving server is responsible for it: it must deliver it, or send a bounce to the sender.
answer-bdat-250 = This chunk of the message arrived. After the LAST chunk, this reply means the whole message is accepted and the server is responsible for it.
answer-rset-250 = The transaction so far is forgotten (sender, recipients, data); the connection stays open for a new one.
answer-quit-221 = The server says goodbye and closes the connection. Every message it accepted with 250 is already its responsibility.

## EHLO keywords

keyword-pipelining = The client may send several commands (MAIL, every RCPT, DATA) without waiting for each reply, saving round trips.
keyword-size = The largest message the server takes, in octets. A client declares its message's size in MAIL, and a message that is too large is refused before it is sent.
keyword-8bitmime = The message may hold octets above 127 (accented letters in UTF-8, say) when MAIL says BODY=8BITMIME.
keyword-smtputf8 = Addresses and header fields may be written in UTF-8, like jösé@example.org, when MAIL says SMTPUTF8.
keyword-enhancedstatuscodes = Each reply carries a second, finer code such as 5.1.1 (no such mailbox) after its three digits.
keyword-chunking = The message may be sent in counted chunks with BDAT instead of DATA: no dot to end it and no dot-stuffing.
keyword-binarymime = With BDAT, the message may hold any octets at all, with no line length limit (BODY=BINARYMIME).
keyword-dsn = Delivery status notifications: the client may ask for a report on success, failure or delay (NOTIFY), how much of the message a bounce returns (RET) and an id for the reports (ENVID).
keyword-starttls = The client may turn this connection into an encrypted one with the STARTTLS command.
keyword-requiretls = The client may ask that the message travel only over TLS on every hop after this one (MAIL … REQUIRETLS).
keyword-auth = The client may log in with one of the SASL mechanisms listed (PLAIN, LOGIN) before sending mail.
keyword-limits = The server's limits said up front, such as RCPTMAX: the most recipients it takes in one transaction, so the client can split a large list.

## Topics

topic-submit = A mail client hands a new message to its own server on the submission port (587), after logging in; that server then takes care of delivery.
    .label = submit
topic-connect = The sending host opens a TCP connection to port 25 of the receiving host; the receiver speaks first, with its greeting.
    .label = connect
topic-connect-refused = Nobody accepts the connection. The sender does not give up: it tries the next host of the route, and later tries again.
    .label = connect refused
topic-connect-timeout = The host does not answer at all. After a timeout the sender treats it like a refused connection: next host, then retry later.
    .label = connect timeout
topic-tls = After STARTTLS and its 220 reply both sides run a TLS handshake; then the client starts over with EHLO, forgetting what it learned before (the simulator does not encrypt).
    .label = tls
topic-dns-mx = To deliver to a domain, the sender asks DNS for the domain's MX records: the hosts that take mail for it, each with a preference (lower is tried first).
    .label = dns mx
topic-dns-srv = With SRV routing (an option some MTAs such as Exim offer) the sender first asks for _smtp._tcp SRV records: hosts with a priority, a weight and a port.
    .label = dns srv
topic-dns-address = Each mail host's name is turned into addresses with AAAA (IPv6) and A (IPv4) queries.
    .label = dns address
topic-dns-answer = The resolver's answer: records, 'no such name' (NXDOMAIN), 'no records of that type', or a failure, which only means 'try again later'.
    .label = dns answer
topic-route = The hosts to try, in order: MX records by preference, equal preferences in random order to spread the load; with no MX, the domain itself (implicit MX).
    .label = route
topic-no-route = No host can be tried: the domain does not exist, takes no mail (null MX), or its lookup failed. A failed lookup is temporary; the others are permanent.
    .label = no route
topic-queue = Once a server answers 250 to the end of the data it is responsible for the message: it keeps it in its queue until it is delivered or returned.
    .label = queue
topic-retry = A temporary failure (4yz, or no host reachable) leaves the recipient in the queue; it is tried again later, with growing waits, for a few days.
    .label = retry
topic-deliver = The final server puts the message in the recipient's mailbox, with Return-Path and Received header fields recording its way.
    .label = deliver
topic-relay = A backup MX takes the message for a domain it does not hold and queues it, to pass it on to a more preferred host once that one is back.
    .label = relay
topic-bounce = A recipient failed for good: the server that held the message sends a delivery status notification back to the sender, from the null reverse path <> so it can never bounce itself.
    .label = bounce
topic-greylisting = A receiver may refuse mail from an unknown sender with a temporary 4yz the first time; real MTAs retry and are let in, many spam senders do not.
    .label = greylisting
topic-round-trips = Each time the client must wait for a reply before sending more costs a network round trip. With PIPELINING the client sends MAIL, every RCPT and DATA at once and reads the replies in order.
    .label = round trips
topic-pregreet = A client must wait for the server's 220 greeting before it sends anything. Spam engines often do not: they send at once to save time. A server can hold its greeting back for a few seconds (Postfix's postscreen waits 6) and refuse with 554 whoever talks first; real mail clients and servers wait and never notice.
    .label = pregreet
topic-mua = MUA, mail user agent: the program a person reads and writes mail with (Thunderbird, a phone's mail app, a webmail page). It hands new mail to an MSA and fetches mail with POP3 or IMAP.
    .label = mua
topic-msa = MSA, message submission agent: the server that takes a user's new mail, after a login, usually on port 587 or 465, checks it and hands it on to an MTA.
    .label = msa
topic-mta = MTA, message transfer agent: a mail server that relays mail from server to server over SMTP on port 25, finding the next one by the recipient domain's MX records.
    .label = mta
topic-mda = MDA, message delivery agent: the last step on the server, which puts a message into the recipient's mailbox (a Maildir, say), where the MUA will find it.
    .label = mda
topic-envelope = The envelope is what MAIL FROM and RCPT TO say: where the mail goes and where bounces return. The header (From:, To:, Subject:) is part of the message itself, and may say something else entirely, as Bcc and mailing lists show.
    .label = envelope
topic-uucp = Before SMTP with DNS MX records, much mail travelled over UUCP: hosts dialled their neighbours a few times a day, and the sender wrote the whole route as a bang path (hostA!hostB!user). A broken hop meant a dead end.
    .label = uucp
topic-smuggling = SMTP smuggling: if a server takes <LF>.<LF> as the end of the data, the rest of the 'message' is read as new commands, and a forged second message slips through. RFC 5321 lines end only in CRLF; a strict server refuses bare LFs.
    .label = smuggling
topic-pop3 = The recipient's mail client connects to its mailbox server with POP3 (port 110, or 995 with TLS) to download the messages; SMTP only carries mail between servers.
    .label = pop3
topic-pop3-user = USER names the maildrop; PASS follows with the password. Until both succeed the session is in the AUTHORIZATION state.
    .label = pop3 user
topic-pop3-pass = PASS gives the password; on +OK the server locks the maildrop and the session enters the TRANSACTION state.
    .label = pop3 pass
topic-pop3-stat = STAT asks how many messages the maildrop holds and their total size in octets.
    .label = pop3 stat
topic-pop3-retr = RETR sends one message, whole, ending with a line holding only a dot; lines starting with a dot get an extra one, exactly as in SMTP's DATA.
    .label = pop3 retr
topic-pop3-dele = DELE marks a message deleted; it is removed only when the session ends with QUIT.
    .label = pop3 dele
topic-pop3-quit = QUIT ends the session; in the TRANSACTION state the server now removes the messages marked deleted (the UPDATE state).
    .label = pop3 quit
topic-pop3-reply = POP3 replies start with +OK or -ERR; a multi-line reply ends with a line holding only a dot.
    .label = pop3 reply
topic-imap = The recipient's mail client reads the mailbox with IMAP. On port 993 TLS starts at once (RFC 8314), so the password travels encrypted; the lines shown are what each side reads inside TLS. Unlike POP3, IMAP leaves the mail on the server, so every device of the reader sees the same mailbox.
    .label = imap
topic-imap-login = Every IMAP command starts with a tag the client chooses (a1, a2, …); the server ends its answer with the same tag, so answers can be matched to commands. LOGIN gives the user name and password and moves the session from "not authenticated" to "authenticated".
    .label = imap login
topic-imap-select = SELECT opens a mailbox (INBOX is the one every account has). The server answers with how many messages exist, the flags in use, and UIDVALIDITY and UIDNEXT, which let a client keep its copy in step across sessions; READ-WRITE means flags may change.
    .label = imap select
topic-imap-fetch = FETCH asks for data about a range of messages: 1:* means from the first to the last. BODY[] is the whole message; reading it sets the \Seen flag. The message comes as a literal, {"{"}n{"}"} then exactly n octets, so no dot-stuffing is needed as in POP3 and SMTP.
    .label = imap fetch
topic-imap-logout = LOGOUT ends the session: the server says BYE, then completes the command. Nothing is deleted; the messages stay on the server, now marked \Seen.
    .label = imap logout
topic-imap-response = IMAP answers come as untagged lines starting with "*" (data such as EXISTS or FETCH) and end with one tagged line: OK (done), NO (failed) or BAD (the command was wrong).
    .label = imap response
topic-spf-record = SPF: the receiver asks DNS for the TXT records of the domain in MAIL FROM (for a bounce, of the HELO name). The one that starts with v=spf1 lists the hosts allowed to send for that domain; include:, a, mx and redirect= make it ask more questions, ten at most.
    .label = spf record
topic-spf-pass = SPF pass: the client's address is one the domain lists, so the domain in MAIL FROM really allowed this host to send for it. It says nothing yet about the From: address the reader sees.
    .label = spf pass
topic-spf-fail = SPF fail: the domain says this address may not send its mail (its record ends in -all and nothing else matched). A receiver may refuse the mail with 550 5.7.23. Forwarded mail fails this way too, which is one reason DKIM exists.
    .label = spf fail
topic-spf-softfail = SPF softfail: the domain says this address probably should not send its mail (~all) but asks receivers not to refuse it outright; they usually accept it and may mark it.
    .label = spf softfail
topic-spf-neutral = SPF neutral: the domain's record says nothing either way about this address (?all); the mail is treated as if there were no record.
    .label = spf neutral
topic-spf-none = SPF none: the domain publishes no SPF record, or there was no domain to check, so SPF can tell nothing.
    .label = spf none
topic-spf-error = SPF temperror or permerror: a DNS failure (the same check may pass later) or a broken record, such as a syntax error or more than ten lookups. Neither is proof of forgery, so neither is a reason to refuse.
    .label = spf error
topic-dkim-key = DKIM: a signature names its domain (d=) and selector (s=); the receiver asks DNS for the TXT record at selector._domainkey.domain, which holds the domain's public key (p=).
    .label = dkim key
topic-dkim-pass = DKIM pass: the body still hashes to the signature's bh=, and the signed header fields verify with the domain's public key: that domain took responsibility for the message, and nobody changed what it signed.
    .label = dkim pass
topic-dkim-fail = DKIM fail: the body no longer matches bh=, or the signature does not verify with the key. The message was changed after signing (a mailing list's footer, a rewritten Subject) or the signature is forged.
    .label = dkim fail
topic-dkim-none = DKIM none: the message has no DKIM-Signature field, so no domain vouches for it.
    .label = dkim none
topic-dkim-error = DKIM temperror or permerror: the key could not be fetched for now, or the signature or its key record is broken, revoked (an empty p=) or uses an algorithm receivers must refuse, such as rsa-sha1.
    .label = dkim error
topic-dmarc-record = DMARC: the receiver asks for the TXT record at _dmarc. followed by the author's domain (of the From: address); if there is none, at _dmarc. of its organizational domain (example.co.uk for mail.example.co.uk, found with the Public Suffix List). Its p= says what to do with mail that fails.
    .label = dmarc record
topic-dmarc-pass = DMARC pass: SPF or DKIM passed for a domain aligned with the From: domain (the same domain, or under relaxed alignment one with the same organizational domain), so the domain the reader sees is the one that was proven.
    .label = dmarc pass
topic-dmarc-fail = DMARC fail: neither SPF nor DKIM passed for a domain aligned with From:. The domain's policy decides what happens: none (only report it), quarantine (the junk folder) or reject (refuse with 550 5.7.1).
    .label = dmarc fail
topic-dmarc-none = DMARC none: the author's domain publishes no DMARC policy, so the receiver follows its own rules.
    .label = dmarc none
topic-dmarc-error = DMARC temperror or permerror: the policy could not be fetched for now, the message has no single From: domain, or the policy record is broken.
    .label = dmarc error

## What a learner might type next in the terminal

hint-ehlo = EHLO client.example
hint-mail = MAIL FROM:<alice@client.example>
hint-rcpt = RCPT TO:<bob@example.org>
hint-rcpt-or-data = DATA (or another RCPT TO)
hint-content = Subject: Hello, an empty line, the text, then a lone .
hint-mail-or-quit = QUIT (or MAIL FROM for another message)

## Labels of the reference

# A reply in its place: "250 to RCPT".
answer-label = { $code } to { $answering }
answering-greeting = greeting
answering-end-of-data = end of data

## "What happens next?" questions, their answers read from the run

question-reply = What does { $host } answer to this { $command }?
question-end-of-data = The message data has ended with its dot. What does { $host } answer?
question-connect = Which host does { $client } connect to next?
question-outcome = How does it end for { $recipient }?
question-mailbox-after = How many messages are left in the mailbox of { $mailbox } once the mail client is done?
outcome-delivered = delivered to the mailbox
outcome-bounced = bounced back to the sender
outcome-queued = still waiting in a queue

## The simulator's steps told in words (the bytes on the wire are never translated)

step-connect = TCP connection to { $host } ({ $address }) port { $port }
step-connect-pop3 = TCP connection to { $host } port 110 (POP3)
step-connect-imap = TLS connection to { $host } port 993 (IMAP)
step-connection-refused = connection refused
step-no-host-at = no host answers at { $address }
step-no-answer = no answer within { $seconds } s
step-connection-closed = connection closed after { $round_trips } round trips
step-tls = TLS handshake (simulated: nothing is encrypted here): { $version } with cipher suite { $cipher }
step-greeting-delay = { $server } waits { $seconds } s before its greeting: a client that talks first is refused
step-talks-first = { $server } holds its greeting back; { $client } sends at once without waiting for it
step-dns-nxdomain = { $owner }: NXDOMAIN (no such name)
step-dns-no-records = { $owner }: no { $kind } records
step-dns-servfail = { $owner }: SERVFAIL (lookup failed)
step-route = { $count } host(s) to try for { $destination }
step-no-route = no route to { $destination }: { $reply }
step-queued = message { $message } queued for delivery
step-retry = temporary failure: next attempt in { $wait } (at { $at })
step-leaves-queue = message { $message } leaves the queue: every recipient is delivered or failed
step-no-report = no report: a message from the null reverse path is never bounced
step-fetched-pop3 = { $count } message(s) downloaded by the mail client
step-fetched-imap = { $count } message(s) read by the mail client; { $left } kept on the server
step-uucp-path = the sender names every host on the way: { $path }; no DNS, no MX, no choice of route
step-uucp-no-link = { $from } has no link to { $to }: the message is stuck; the sender had to know a working route
step-uucp-call = uucico on { $from } calls { $to } and sends the message with the command "rmail { $rest }"
step-uucp-delivered = rmail { $user }: delivered to { $user }'s mailbox on { $host }
step-stopped = simulation stopped after { $steps } steps
step-submission-failed = submission failed: { $failure }
step-simulator-error = simulator: { $error }
queue-pending = { $recipient } pending, next attempt at { $at }
queue-delivered = { $recipient } delivered
queue-failed = { $recipient } failed
duration-hours = { $hours } h { $minutes } min
duration-minutes = { $minutes } min
duration-seconds = { $seconds } s

## Problems in a scenario, shown beside the sandbox's fields
problem-version = unsupported version { $version }; this is version { $supported }
problem-id = use lowercase letters, digits and '-'
problem-named-twice = "{ $name }" is named twice
problem-not-mailbox = "{ $value }" is not a mailbox
problem-no-submission-host = no host "{ $name }" with role "submission"
problem-raw-client = needs a host name and an IP address
problem-sender-kind = name either "submission" or "raw_client"
problem-not-bang-path = "{ $value }" is not a bang path (host!user)
problem-at-least-one = must be at least 1
problem-no-recipient = name at least one recipient
problem-subject-control = must not hold control characters such as CR or LF
problem-over-limit = { $count } is more than the limit of { $limit }
problem-not-host-name = "{ $value }" is not an ASCII host name
problem-not-ip = "{ $value }" is not an IP address
problem-unknown-role = unknown value "{ $value }"; use "submission", "mailbox" or "backup"
problem-not-domain = "{ $value }" is not a domain name
problem-unknown-behaviour = unknown value "{ $value }"; known: { $known }
problem-not-mx = "{ $value }" is not "preference exchange"
problem-not-ipv4 = "{ $value }" is not an IPv4 address
problem-not-ipv6 = "{ $value }" is not an IPv6 address
problem-not-srv = "{ $value }" is not "priority weight port target"
problem-unknown-record-type = unknown value "{ $value }"; use MX, A, AAAA, CNAME, SRV, NXDOMAIN or SERVFAIL
# $detail is serde's own text, in English.
problem-json = not a scenario: { $detail }
problem-json-at = not a scenario: { $detail } (line { $line }, column { $column })
