### Veb simulyatorun öz sözləri: səhifələr, idarəetmə elementləri və bildirişlər.
### İzahlar və dərslərin mətni nüvəyə aiddir (core/locales/).

## Ümumi çərçivə

app-title = wasmtp — SMTP addım-addım
app-tagline = Aşağıdakı hər addımı bu səhifədə işləyən wasmtp SMTP mühərriki yaradır.
nav-sections = Bölmələr
tab-lessons = Dərslər
tab-sandbox = Qum qutusu
tab-terminal = Terminal
tab-reference = Məlumat kitabçası
language-label = Dil

## Dərslərin siyahısı və məktubun yolu

lessons-title = Dərslər
lessons-progress = { $total } dərsdən { $done } sona qədər oynadılıb
lesson-done = bitib
lesson-score = ilk cəhddə { $total } sualdan { $right } düz
journey-caption = Elektron məktub necə gedir: hansı hissəni görmək istəyirsinizsə, onu seçin
journey-mua = Alisanın poçt proqramı
journey-mua-role = MUA
journey-msa = Provayderinin göndərmə serveri
journey-msa-role = MSA, 587-ci port
journey-dns = DNS: example.org üçün məktubu kim qəbul edir?
journey-dns-role = MX yazıları
journey-mx = Bobun poçt serveri
journey-mx-role = MX, bir MTA
journey-backup = O işləməyəndə — ehtiyat server
journey-backup-role = ehtiyat MX
journey-mailbox = Bobun poçt qutusu
journey-mailbox-role = MDA, Maildir
journey-fetch = Bobun poçt proqramı məktubu götürür
journey-fetch-role = POP3 və ya IMAP
host-mail-client = { $owner } (poçt klienti)

## Dərs səhifəsi

lesson-back = ← Bütün dərslər
lesson-notice = Diqqət edin
lesson-try-this = Bunu sınayın
lesson-next = Növbəti dərs →

## Bunu sınayın: dərsdəki dəyişikliklər, qum qutusunda işə salınır

try-unknown-recipient = Mövcud olmayan birinə göndərin
try-read-with-pop3 = Bob məktubu IMAP əvəzinə POP3 ilə endirsin
try-mx-to-a = MX yazılarını silin və domenə A yazısı verin
try-preferred-mx-down = Ən üstün poçt hostunu söndürün
try-swap-mx-preferences = MX üstünlüklərinin yerini dəyişin
try-primary-up = Əsas serveri yenidən işə salın
try-no-backup = Ehtiyat MX-i silin
try-another-seed = Başqa təsadüfi toxumla işə salın
try-one-mx-preferred = Hostlardan birinə 5 üstünlük dəyəri verin
try-remove-a-record = A yazısını da silin
try-add-mx = Domenə MX yazısı verin
try-remove-null-mx = Null MX yazısını silin
try-null-mx-to-missing-host = Null MX-i ünvanı olmayan hostu göstərən MX ilə əvəz edin
try-greylisting-off = Boz siyahını söndürün
try-also-to-carol = Karolə də göndərin
try-give-nobody-a-mailbox = nobody üçün poçt qutusu yaradın
try-fill-bobs-mailbox = Bobun poçt qutusunu doldurun
try-no-size-limit = Poçt hostunun ölçü həddini götürün
try-smaller-message = Əvəzində qısa məktub göndərin
try-esmtp-again = Serverə ESMTP-ni qaytarın
try-eight-bit-body = Məktubu ə, ş, ç kimi hərflərlə yazın
try-pipelining-nowhere = Bütün poçt hostlarında PIPELINING-i söndürün
try-pipelining-everywhere = Hər yerdə PIPELINING-i yandırın
try-smtputf8-on = Poçt hostuna SMTPUTF8 verin
try-ascii-recipient = Ünvanı ASCII ilə yazın: juergen
try-strict-everywhere = Laqeyd serveri ciddi edin
try-lax-everywhere = Bütün serverləri laqeyd edin
try-greet-at-once = Qoy mx.example.org, əksər serverlər kimi, dərhal salamlaşsın
try-greeting-delay-everywhere = Bütün poçt hostlarında salamlamanı ləngidin
try-without-starttls = Poçt hostundan STARTTLS-i götürün
try-honest-starttls-client = Qoy klient davam etməzdən əvvəl STARTTLS-in 220 cavabını gözləsin
try-srv-off = SRV əvəzinə MX ilə marşrutlaşdırın
try-remove-srv-records = SRV yazılarını silin
try-mailbox-down = Poçt hostunu bir saatlığa söndürün
try-break-last-uucp-link = Sonuncu UUCP bağlantısını kəsin
try-uucp-every-hour = Qoy UUCP hostları hər saat zəng etsin

## "Sonra nə olacaq?": dərsin sualları

exercises-title = Sonra nə olacaq?
exercises-intro = İrəli getməzdən əvvəl cavab verin. Hansı cavabın düz olduğunu simulyatorun öz gedişatı həll edir, ona görə dəyişdirilmiş dünya haqqında sualın cavabı da o dünyanın cavabıdır.
exercises-score = İlk cəhddə düz: { $total } sualdan { $right }
exercise-asked-at = Addım { $step }:
exercise-right = Düzdür: elə də oldu.
exercise-wrong = Bu deyil. Serverin bu anda nəyi bildiyini düşünün, sonra yenidən cəhd edin.
exercise-show = Bunu görün: addım { $step }

## Qum qutusunun tapşırıqları

challenges-title = Tapşırıqlar
challenges-intro = Dünyanı elə dəyişin ki, simulyatorun gedişatı məqsədə çatsın. İşləyən istənilən dəyişiklik sayılır.
challenges-progress = { $total } tapşırıqdan { $met } yerinə yetirilib
challenge-start = Başla
challenge-current = Məqsədiniz:
challenge-met = Məqsədə çatdınız!
challenge-not-yet = Hələ yox: dünyanı dəyişin və yenidən işə salın.
challenge-done = yerinə yetirilib
challenge-bounce-5-1-1 = Məktub 5.1.1 (belə poçt qutusu yoxdur) ilə geri qayıtsın.
challenge-greylisted-then-delivered = Məktub boz siyahıya düşsün (451 4.7.1), amma yenə də çatdırılsın.
challenge-null-mx = example.org null MX ilə bütün poçtu rədd etsin, məktub da dərhal geri qayıtsın.
challenge-backup-within-ten-minutes = Məktub ehtiyat MX-dən keçərək on dəqiqə ərzində Bobun poçt qutusuna çatsın.

## Oynadıcı

player-label = Addım-addım oynadıcı
player-no-steps = Bu izdə heç bir addım yoxdur.
player-controls = Oynatma
player-previous = ◀ Geri
player-previous-label = Əvvəlki addım (←)
player-play = ▶ Oynat
player-play-label = Oynat (boşluq)
player-pause = ❚❚ Dayandır
player-pause-label = Dayandır (boşluq)
player-next = İrəli ▶
player-next-label = Növbəti addım (→)
player-step = Addım { $step } / { $total }
player-jump = Addıma keçin
player-speed = Sürət
player-speed-label = Oynatma sürəti
speed-slow = yavaş
speed-normal = adi
speed-fast = sürətli
speed-very-fast = çox sürətli
player-show-crlf = CR LF-i göstər
player-chapters = Fəsillər
player-chapter = { $title } · addım { $step }
player-clock = virtual saat
player-queue = { $host } növbəsi: { $message } məktubu
player-outcome = Nəticə
player-outcome-text = Çatdırıldı: { $delivered }. Alınmadı: { $failed }. Gözləyir: { $pending }. { $round_trips } SMTP gediş-gəlişi, virtual vaxtla { $duration }.
list-none = heç kim
crlf-title = CR LF: hər SMTP sətrini bitirən iki bayt
crlf-bare-lf-title = tək LF: SMTP-də sətir sonu deyil (RFC 5321 §2.3.8)
crlf-bare-cr-title = tək CR: SMTP-də sətir sonu deyil (RFC 5321 §2.3.8)
sequence-label = Addım-addım: kim kimə nə göndərir
sequence-arrow = Addım { $step }: { $kind }, { $from } → { $to }
network-label = Hostlar, alıcı domeninin MX yazıları və hazırda kimin danışdığı

## Şəbəkə xəritəsi

role-submission = göndərmə
role-mailbox = poçt qutusu
role-backup = ehtiyat
host-up = işləyir
host-down = işləmir

## Hər addım nədir

kind-dns-query = DNS sualı
kind-dns-answer = DNS cavabı
kind-connect = bağlantı
kind-connect-failed = bağlantı alınmadı
kind-command = əmr
kind-reply = cavab
kind-data = məktubun məlumatı
kind-tls = TLS
kind-queue = növbə
kind-retry = təkrar cəhd planlaşdırıldı
kind-deliver = çatdırılma
kind-bounce = geri qayıtma
kind-fetch = poçt klienti
kind-uucp = UUCP
kind-note = qeyd

## Çatdırılmış məktub

message-label = Məktub
message-delivered = { $mailbox } ünvanına çatdırıldı
message-path = Yolda hər server məktubun ən yuxarısına Received sahəsi əlavə edib; aşağıdan yuxarı oxusanız, məktubun yolunu görərsiniz:
message-hop = { $from } onu { $with } ({ $meaning }) ilə { $by } serverinə təhvil verdi, vaxt: { $date }
message-whole = Saxlanılmış bütöv məktub
message-bounce = Geri qayıtma (çatdırılma status bildirişi)
message-bounce-text = Məktubu çatdırmaq mümkün olmadı, ona görə onu saxlayan server göndərənə hesabat yazdı (RFC 3464): insan üçün hissə, maşın üçün message/delivery-status hissəsi və ilkin məktub və ya onun başlığı.
protocol-esmtpsa = ESMTP, şifrəli və autentifikasiyalı
protocol-esmtps = ESMTP, şifrəli
protocol-esmtpa = ESMTP, autentifikasiyalı
protocol-esmtp = genişləndirilmiş SMTP
protocol-smtp = sadə SMTP
protocol-other = öz protokolu

## Qum qutusu

sandbox-title = Qum qutusu: { $title }
sandbox-intro = Dünyanı dəyişin və yenidən işə salın: hər addım əsl mühərrikdən gəlir.
sandbox-run = İşə sal
sandbox-show-forms = Formaları göstər
sandbox-show-json = JSON-u göstər
sandbox-share = Keçid paylaş
sandbox-link = Keçid
sandbox-json = Ssenari (JSON, format versiyası 1)
sandbox-envelope = Zərf və məktub
sandbox-sender = Göndərən
sandbox-recipients = Alıcılar (vergüllə ayırın)
sandbox-subject = Mövzu
sandbox-dns = DNS yazıları
sandbox-add-record = Yazı əlavə et
sandbox-hosts = Hostlar
field-name = Ad
field-type = Tip
field-value = Dəyər
field-address = Ünvan
field-role = Rol
field-down-minutes = Neçə dəqiqə işləmir
field-behaviours = Davranışlar
sandbox-remove = Sil
sandbox-remove-label = { $record } yazısını sil
changed-title = Nə dəyişdi
changed-part = Fərq { $step } nömrəli addımda başlayır.
changed-before = Əvvəl
changed-now = İndi
changed-had-ended = (işləmə artıq bitmişdi)
changed-has-ended = (işləmə artıq bitib)
changed-nothing = Heç nə: işləmə dərsdəki addımların eynisini atır.
changed-outcome-before = Əvvəlki nəticə
changed-outcome-now = İndiki nəticə
changed-outcome = çatdırıldı: { $delivered }; alınmadı: { $failed }; gözləyir: { $pending }; { $seconds } saniyədə { $round_trips } gediş-gəliş

## Terminal

terminal-title = Terminal
terminal-intro = Klient sizsiniz, server isə { $server } (əsl wasmtp server sessiyası); o, { $domain } üçün məktub qəbul edir. Əmri yazıb Enter düyməsini basın; DATA-dan sonra məktubu yazın və onu yalnız nöqtədən ibarət sətirlə bitirin.
terminal-profile = Server profili
terminal-start-over = Yenidən başla
terminal-closed = Server bağlantını bağladı. Yenidən qoşulmaq üçün "Yenidən başla" düyməsini basın.
terminal-message-line = Məktubun sətri (tək . onu bitirir)
terminal-command = Əmr
terminal-send = Göndər
terminal-next = Növbəti, bunu yazın:
stored-label = Saxlanılmış məktub
stored-title = Məktub serverdə necə saxlanıldı
stored-intro = Server yuxarıya iki sahə əlavə etdi (RFC 5321 §4.4): Return-Path — geri qayıtmaların gedəcəyi zərf göndərəni, və Received — yoldakı hər server üçün bir ədəd, ən yenisi birinci. Onun hissələri:
received-from = klientinizin EHLO-da dediyi ad, mötərizədə isə bağlantının əslində gəldiyi ünvan
received-by = məktubu qəbul edən server və onun proqram təminatı
received-with = protokol: EHLO-dan sonra ESMTP, HELO-dan sonra SMTP; TLS üçün S, AUTH-dan sonra A
received-id = növbə identifikatoru: serverin öz jurnallarında və cavablarında bu məktuba verdiyi ad
received-for = alıcı; yalnız bir alıcı olanda göstərilir
received-date = serverin məktubun məsuliyyətini üzərinə götürdüyü an

## Məlumat kitabçası

reference-title = Məlumat kitabçası
reference-search = Axtarış
reference-placeholder = 550, 5.1.1, EHLO, boz siyahı…
reference-count = { $total } yazıdan { $shown }
