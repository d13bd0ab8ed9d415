### Daxili dərslərin Azərbaycan dilində mətni: başlıq, giriş və "diqqət edin" qeydləri.
### İngiliscəsi ssenari fayllarının öz mətnidir (core/src/sim/scenarios/*.json); hər
### ssenarinin id-si burada açarın əvvəlindədir, qeydlər isə 1-dən nömrələnir.

first-email-title = İlk elektron məktubunuz
first-email-intro = Alisa Boba məktub yazır. Onun poçt klienti məktubu öz provayderinin göndərmə serverinə təhvil verir. Server example.org-un məktubları harada qəbul etdiyini (onun MX yazısını) öyrənir, ora 25-ci port üzərindən qoşulur və məktubu Bobun poçt qutusuna çatdırır. Sonra Bobun poçt klienti onu POP3 ilə götürür.
first-email-notice-1 = Klient yalnız öz provayderində daxil olur (AUTH); serverdən serverə çatdırılmaya giriş lazım deyil.
first-email-notice-2 = Qəbul edən server hər əmrə üçrəqəmli kodla cavab verir: 2yz "görüldü" deməkdir.
first-email-notice-3 = Server məlumatdan sonra 250 deyən kimi məktuba o cavabdeh olur.
first-email-notice-4 = Hər server məktubun ən yuxarısına Received sahəsi əlavə edir: yolu izləmək üçün onları aşağıdan yuxarı oxuyun.

imap-title = Məktubları IMAP ilə oxumaq
imap-intro = Karol Boba iclasın protokolunu göndərir. Məktub ilk dərsdəki yolla gedir, amma Bob poçtunu həm telefonda, həm noutbukda oxuyur, ona görə provayderi IMAP təklif edir: Bobun poçt klienti daxil olur, INBOX qutusunu seçir, məktubu götürür və çıxır. Məktub serverdə oxunmuş kimi işarələnib qalır ki, Bobun digər cihazları da onu görsün.
imap-notice-1 = Hər IMAP əmri teqlə başlayır (a1, a2, …); serverin cavabını bitirən teqli sətir eyni teqi daşıyır.
imap-notice-2 = * ilə başlayan sətirlər serverin əlavə göndərdiyi məlumatdır: SELECT heç bir məktub oxunmamış neçə məktub olduğunu bildirir.
imap-notice-3 = Məktub literal kimi gəlir: {"{"}n{"}"}, sonra düz n oktet, ona görə POP3 və SMTP-nin DATA əmrindən fərqli olaraq heç bir sətrə əlavə nöqtə lazım deyil.
imap-notice-4 = LOGOUT-dan sonra məktub poçt qutusunda qalır, indi \Seen bayrağı ilə; ilk dərsdə POP3-dən sonra qutu boş idi.

mx-preference-title = MX üstünlüyü: ən kiçik rəqəm qalib gəlir
mx-preference-intro = example.org üç poçt hostu göstərir, üstünlük dəyərləri 10, 20 və 30-dur. Göndərən onları sıralayır və əvvəlcə ən üstün olanı (rəqəmi ən kiçik olanı) yoxlayır; o cavab verir, ona görə də qalanlarına heç müraciət olunmur.
mx-preference-notice-1 = Marşrutda hər üç host üstünlük sırası ilə düzülüb.
mx-preference-notice-2 = Yalnız mx1-ə müraciət olunur; mx2 və mx3 ehtiyat variantlardır.
mx-preference-notice-3 = Üstünlük dəyərləri nisbidir: 10/20/30 ilə 1/2/3 eyni şeydir.

backup-mx-title = Ehtiyat MX: əsas server işləmir
backup-mx-intro = example.org-un əsas poçt hostu yarım saat işləmir. Göndərənin bağlantısı rədd edilir, ona görə o, ehtiyat MX-ə müraciət edir; ehtiyat MX məktubu qəbul edib növbəyə qoyur. Ehtiyat server məktubu yalnız özündən üstün hostlara ötürə bilər, ona görə də əsas server işə düşənə qədər öz cədvəli ilə ona yenidən cəhd edir, sonra məktubu ona ötürür.
backup-mx-notice-1 = Rədd edilən bağlantı məktubun uğursuzluğu deyil: dərhal növbəti MX yoxlanılır.
backup-mx-notice-2 = Ehtiyat server 250 cavabı verir və məsuliyyəti üzərinə götürür: göndərənin növbəsi boşalır.
backup-mx-notice-3 = Ehtiyat serverin marşrutunda yalnız əsas server var: o, məktubu heç vaxt özünə və ya özündən az üstün hostlara göndərmir (RFC 5321 §5.1).
backup-mx-notice-4 = Təkrar cəhdlər 5, 10, 20 dəqiqə... gözləyir (Postfix-ə bənzər cədvəl).

equal-preferences-title = Bərabər üstünlük: yük təsadüfi paylanır
equal-preferences-intro = example.org-un eyni üstünlük dəyəri olan üç poçt hostu var. RFC 5321 göndərənlərdən bərabər üstünlüklü hostları təsadüfi sırada yoxlamağı istəyir ki, yük paylansın. Simulyatordakı təsadüfi sıra ssenarinin toxumundan (seed) alınır: toxumu dəyişin və sıranın necə dəyişdiyinə baxın; toxum eyni qalsa, hər dəfə eyni nəticə alınır.
equal-preferences-notice-1 = Marşrutda a, b və c-nin sırası toxumdan asılıdır.
equal-preferences-notice-2 = Çoxlu toxum üzrə hər sıranın ehtimalı eynidir (sıra qərəzsizdir).
equal-preferences-notice-3 = Məktubu hansı host birinci gəlirsə, o alır.

no-mx-title = MX yazısı yoxdur: gizli MX
no-mx-intro = example.org heç bir MX yazısı dərc etmir, yalnız ünvanı var. Bu halda RFC 5321 domenin özünü onun yeganə poçt hostu sayır (gizli MX): göndərən domenin öz ünvanına qoşulur.
no-mx-notice-1 = MX sualına boş cavab gəlir (ad mövcuddur), NXDOMAIN yox.
no-mx-notice-2 = Marşrutda bir host var: example.org-un özü, üstünlük dəyəri 0.
no-mx-notice-3 = Sorğu xəta versəydi (SERVFAIL), göndərən gözləyib yenidən cəhd edərdi.

null-mx-title = Null MX: məktub qəbul etməyən domen
null-mx-intro = example.org üstünlük dəyəri 0 olan yeganə "." MX yazısı dərc edir: bu, null MX-dir (RFC 7505). O deyir ki, domen heç vaxt məktub qəbul etmir. Göndərən heç qoşulmağa cəhd etmədən alıcını dərhal uğursuz sayır və məktubu çatdırılma status bildirişi ilə Alisaya qaytarır.
null-mx-notice-1 = Heç bir bağlantı qurulmur: qərarı DNS cavabının özü verir.
null-mx-notice-2 = Xəta daimidir: 556 5.1.10.
null-mx-notice-3 = Geri qayıtma məktubu (DSN, RFC 3464) boş göndərəndən (<>) Alisanın poçt qutusuna gedir.

greylisting-title = Boz siyahı: bir az sonra yenidən cəhd edin
greylisting-intro = Bobun poçt hostu boz siyahıdan istifadə edir: əvvəllər görmədiyi klientdən gələn məktubu müvəqqəti 451 ilə rədd edir, klient bir neçə dəqiqə sonra qayıdanda isə qəbul edir. Əsl poçt serverləri yenidən cəhd edir; spamın çoxu isə etmir.
greylisting-notice-1 = 451 4.7.1 müvəqqətidir: məktub göndərənin növbəsində qalır.
greylisting-notice-2 = Təkrar cəhd göndərənin cədvəli ilə (5 dəqiqə sonra) olur və qəbul edilir.
greylisting-notice-3 = Heç nə itmir, heç kimə xəbər verilmir: SMTP-də gecikmələr adi haldır.

unknown-user-title = Naməlum istifadəçi: daimi xəta və geri qayıtma
unknown-user-intro = Alisa Boba və nobody@example.org ünvanına yazır. Poçt hostu Bobu qəbul edir, nobody-ni isə 550 5.1.1 ilə rədd edir. Məktub Boba çatdırılır; nobody üçün isə göndərənin serveri dərhal əl çəkir və Alisaya səbəbi göstərilən çatdırılma status bildirişi göndərir.
unknown-user-notice-1 = Hər alıcı öz cavabını alır: bir məktub, iki nəticə.
unknown-user-notice-2 = 5yz daimi deməkdir: təkrar cəhd olmur.
unknown-user-notice-3 = DSN-in Diagnostic-Code sahəsində uzaq hostun dəqiq cavabı yazılır.

too-large-title = Məktub çox böyükdür: SIZE hələ DATA-dan əvvəl "yox" deyir
too-large-intro = Bobun poçt hostu ən çoxu 2000 oktetlik məktub qəbul edir və bunu EHLO cavabında deyir (SIZE 2000). Alisanın məktubu daha böyükdür. Alisanın serveri ölçünü MAIL FROM-da bildirir və ya həddi özü görür, məktub isə ondan bir bayt belə göndərilmədən uğursuz olur.
too-large-notice-1 = EHLO cavabındakı SIZE həddi bildirir (RFC 1870).
too-large-notice-2 = Göndərmə serveri məktubu qəbul etmişdi; hədd təyinat serverinindir.
too-large-notice-3 = Xəta daimidir və Alisa geri qayıtma məktubu alır.

old-server-title = Köhnə server: yalnız HELO
old-server-intro = Bobun poçt hostu köhnədir: ESMTP-dən əvvəl yazılıb, EHLO-ya 502 (dəstəklənmir) ilə cavab verir və yavaşdır. Göndərən HELO-ya keçir və sadə SMTP ilə danışır: nə SIZE, nə PIPELINING, nə də 8BITMIME; hər gediş-gəlişdə bir əmr.
old-server-notice-1 = EHLO-ya gələn 502 klienti HELO göndərməyə vadar edir (RFC 5321 §3.2).
old-server-notice-2 = Genişlənmələr olmadan hər əmr öz cavabını gözləyir.
old-server-notice-3 = Sadə SMTP yenə də çatdırır: genişlənmələr məcburi deyil.

pipelining-title = PIPELINING: daha az gediş-gəliş
pipelining-intro = Alisa example.org-dakı Boba (serveri PIPELINING təklif edir) və example.com-dakı Karolə (serveri təklif etmir) yazır. Hər ikisinə eyni zərf gedir; hər bağlantının gediş-gəlişlərini sayın.
pipelining-notice-1 = PIPELINING ilə MAIL, RCPT və DATA bir dəfəyə gedir (RFC 2920).
pipelining-notice-2 = Onsuz hər əmr öz cavabını gözləyir.
pipelining-notice-3 = Hər bağlantının sonunda onun gediş-gəlişlərinin sayı qeyd olunur.

smtputf8-title = SMTPUTF8: serverin qəbul edə bilmədiyi ünvan
smtputf8-intro = Alisa jürgen@example.org ünvanına — beynəlxalq ünvana — yazır. Onun öz serveri SMTPUTF8-i (RFC 6531) dəstəkləyir, amma Yürgenin poçt hostu onu təklif etmir. UTF-8 ünvanı belə serverə göndərmək olmaz, ona görə məktub uğursuz olur və Alisa beynəlxalq DSN formatında geri qayıtma məktubu alır.
smtputf8-notice-1 = Göndərmə serveri SMTPUTF8 təklif edir, ona görə Alisanın klienti bu ünvandan istifadə edə bilər.
smtputf8-notice-2 = Təyinat serverinin EHLO cavabında SMTPUTF8 yoxdur: göndərən bu ünvanı göndərməməlidir.
smtputf8-notice-3 = DSN message/global-delivery-status tipindən istifadə edir (RFC 6533).

smtp-smuggling-title = SMTP qaçaqmalçılığı: laqeyd server ciddi serverə qarşı
smtp-smuggling-intro = Hücumçu birinci məktubun içində ikincisini gizlədir: mətndən sonra tək LF, nöqtə və tək LF, ardınca yeni SMTP əmrləri. Laqeyd server <LF>.<LF>-i məlumatın sonu sayır və gizli əmrləri icra edir — ceo@example.net adından saxta məktub çatdırılır. wasmtp-nin ciddi serveri isə RFC 5321 kimi məlumatı yalnız CRLF.CRLF-də bitirir və tək LF-ləri rədd edir.
smtp-smuggling-notice-1 = lax.example.org iki dəfə 250 cavabı verir: ikinci məktub heç vaxt məktub kimi göndərilməmişdi.
smtp-smuggling-notice-2 = mx.example.org (wasmtp-nin standart ayarları) 554 5.6.0 ilə cavab verir və heç nə çatdırmır.
smtp-smuggling-notice-3 = SMTP-də sətirlər yalnız CRLF ilə bitir (RFC 5321 §2.3.8).

early-talker-title = Tələsik klient: salamlamanı gözləyə bilməyən spam proqramı
early-talker-intro = Spam proqramı iki poçt hostuna qoşulur və saniyədə daha çox məktub keçirmək üçün 220 salamlamasını gözləmədən əmrlərini dərhal göndərir. mx.example.org, Postfix-in postscreen-i kimi, salamlamasını 6 saniyə saxlayır və ondan əvvəl danışanı rədd edir; mail.example.com isə dərhal salamlaşır və spamı qəbul edir.
early-talker-notice-1 = Botun EHLO əmri mx.example.org-a hələ heç bir salamlama gəlməmiş çatır: cavab 554 olur və bağlantı bağlanır.
early-talker-notice-2 = mail.example.com dərhal salamlaşdı, ona görə eyni bot orada adi klient kimi göründü.
early-talker-notice-3 = Əsl klient salamlamanı gözləyir (RFC 5321 §3.1), ona görə gecikmə ona yalnız gözləmə qədər başa gəlir.

starttls-title = STARTTLS: yüksəltmə, yeni EHLO və içəri soxulan əmrlər
starttls-intro = SMTP açıq mətnlə başlayır; STARTTLS (RFC 3207) eyni bağlantını TLS-ə çevirir. Bu klient əmrlərini əl ilə yazır və STARTTLS ilə eyni dəstədə EHLO və MAIL FROM:<ceo@example.org> da göndərir — yolda dayanan hücumçu onları əl sıxmasından əvvəl belə soxa bilərdi (CVE-2011-0411). Server yalnız 220 ilə cavab verir: STARTTLS-dən sonra açıq mətnlə gələnlər atılır, əl sıxmasından sonra isə sessiya yenidən başlayır.
starttls-notice-1 = STARTTLS-dən sonra yeganə cavab 220-dir: soxulmuş EHLO və MAIL heç vaxt cavab almır.
starttls-notice-2 = Əl sıxmasından sonra yeni EHLO-dan əvvəl gələn MAIL 503 ilə rədd edilir: sessiya açıq mətnlə deyilən hər şeyi unudub (RFC 3207 §4.2).
starttls-notice-3 = İkinci EHLO cavabı artıq STARTTLS təklif etmir, Received sahəsində isə ESMTPS yazılır.

srv-routing-title = MX marşrutlaşdırmasının yanında SRV marşrutlaşdırması
srv-routing-intro = Bəzi MTA-lar (check_srv ilə Exim) MX-dən əvvəl SRV yazılarını (RFC 2782) axtara bilir. example.org hər ikisini dərc edir: 2525-ci portda iki hostu göstərən, çəkiləri 60 və 40 olan SRV yazıları və adi MX. SRV marşrutlaşdırması açıq olanda SRV yazıları qalib gəlir; sıranı çəkilərə görə təsadüf müəyyən edir.
srv-routing-notice-1 = Birinci sual _smtp._tcp.example.org SRV üçündür.
srv-routing-notice-2 = Hədəflərin öz portu var (2525), MX hostlarından fərqli olaraq (onlarda həmişə 25).
srv-routing-notice-3 = srv_routing-i söndürün — eyni dünya MX ilə marşrutlaşacaq.

multi-hop-title = Çoxaddımlı ötürmə: Received sahələrini oxuyun
multi-hop-intro = Məktub üç serverdən keçir: Alisanın göndərmə serveri, ehtiyat MX (əsas server on dəqiqə işləmir) və nəhayət əsas server. Hər biri məktubun ən yuxarısına Received sahəsi əlavə edir. Bobun nüsxəsi bütün yolu göstərir, ən yenisi birinci.
multi-hop-notice-1 = Üç Received sahəsi: smtp.example.net, backup.example.org və mx.example.org əlavə edib.
multi-hop-notice-2 = Return-Path-ı son server MAIL FROM-dan götürüb əlavə edir.
multi-hop-notice-3 = Vaxt damğaları ehtiyat serverdəki gözləməni göstərir.

before-smtp-title = SMTP-dən əvvəl: UUCP bang path-ları
before-smtp-intro = DNS MX yazılarından (RFC 974, 1986) əvvəl poçtun çoxu UUCP ilə gedirdi: hostlar gündə bir neçə dəfə qonşularına zəng edirdi, göndərən isə bütün marşrutu host-host, bang path kimi yazmalı idi: alicehost!ucbvax!ihnp4!bobhost!bob. Sonra eyni məktub müasir yolla gedir: Alisa yalnız bob@example.org yazır, yolu isə DNS tapır.
before-smtp-notice-1 = Bang path hər addımı adlandırır; SMTP ünvanı isə yalnız təyinat domenini.
before-smtp-notice-2 = UUCP saatlar çəkir (hər addım növbəti zəngi gözləyir); SMTP isə saniyənin bir hissəsini.
before-smtp-notice-3 = Bang path-da çatışmayan bağlantı yolu bağlayır; MX marşrutlaşdırması isə başqa hostlara keçə bilər.
