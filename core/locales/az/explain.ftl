### SMTP əmrlərinin, cavablarının, genişləndirilmiş status kodlarının, EHLO açar
### sözlərinin və simulyatordakı mövzuların mənası — SMTP-ni öyrənən oxucu üçün.
### Hər mesaj bir-iki cümlədir; onu təyin edən RFC bölməsi kodda, açarın yanında saxlanılır.

## Cavab kodları (RFC 5321 §4.2)

reply-211 = Sistemin vəziyyəti və ya kömək cavabı.
reply-214 = Kömək mətni, insan oxusun deyə yazılıb.
reply-220 = Server hazırdır: hər SMTP sessiyası bu salamlama ilə açılır, server özünü onda adlandırır.
reply-221 = Server bağlantını bağlayır, adətən QUIT əmrinə cavab olaraq.
reply-235 = Autentifikasiya uğurla başa çatdı.
reply-250 = İstənilən iş görüldü: əmr qəbul olundu.
reply-251 = İstifadəçi bu serverdə deyil; server məktubu lazım olan yerə ötürəcək.
reply-252 = Server istifadəçini yoxlaya bilmir, amma məktubu qəbul edib çatdırmağa çalışacaq.
reply-334 = AUTH mübadiləsində sual: klient base64 ilə yazılmış bir sətirlə cavab verir.
reply-354 = Məktubu göndərməyə başlayın; sonunda yalnız bir nöqtədən ibarət sətir olsun (<CRLF>.<CRLF>).
reply-421 = Xidmət hazırda əlçatan deyil, server bağlantını bağlayır; bir az sonra yenidən cəhd edin.
reply-432 = Autentifikasiyadan əvvəl parolu yeniləmək lazımdır.
reply-450 = Poçt qutusu hələlik əlçatan deyil (məşğuldur və ya qaydalarla bağlanıb); sonra yenidən cəhd edin.
reply-451 = Serverdəki yerli xəta ucbatından iş yarımçıq qaldı; sonra yenidən cəhd edin.
reply-452 = Serverdə yer çatmır və ya alıcıların sayı həddən artıqdır; sonra yenidən cəhd edin.
reply-454 = Autentifikasiyada müvəqqəti xəta var və ya TLS hələlik mümkün deyil.
reply-455 = Server bu parametrləri hazırda qəbul edə bilmir.
reply-500 = Sintaksis xətası: əmr tanınmadı və ya sətir çox uzundur.
reply-501 = Əmrin parametrlərində və ya arqumentlərində sintaksis xətası var.
reply-502 = Əmr SMTP-də var, amma bu server onu dəstəkləmir.
reply-503 = Əmrlərin ardıcıllığı pozulub: dialoqun bu yerində bu əmrə icazə yoxdur.
reply-504 = Əmrin parametrlərindən biri dəstəklənmir.
reply-521 = Bu host heç bir məktub qəbul etmir.
reply-523 = Məktub serverin ümumiyyətlə qəbul edəcəyi ölçüdən böyükdür.
reply-530 = Bu əmrdən əvvəl autentifikasiya tələb olunur.
reply-534 = Seçilmiş autentifikasiya mexanizmi çox zəifdir.
reply-535 = Autentifikasiya alınmadı: giriş məlumatları yanlışdır.
reply-538 = İstənilən autentifikasiya mexanizmi üçün şifrələmə tələb olunur.
reply-550 = Poçt qutusu əlçatan deyil (belə qutu yoxdur və ya qaydalar imkan vermir); eyni şəkildə təkrarlamayın.
reply-551 = İstifadəçi bu serverdə deyil; server məktubu hara göndərməyin lazım olduğunu deyir.
reply-552 = Məktub serverin icazə verdiyi yer və ya ölçü həddini aşır.
reply-553 = Poçt qutusunun adına icazə verilmir (sintaksis səhvdir).
reply-554 = Tranzaksiya alınmadı; salamlamada isə bu o deməkdir ki, server bu klientlə danışmayacaq.
reply-555 = MAIL FROM və ya RCPT TO parametrlərindən biri tanınmır və ya dəstəklənmir.
reply-556 = Alıcının domeni heç bir məktub qəbul etmir.

## Birinci rəqəm nə deyir (RFC 5321 §4.2.1)

reply-class-2 = Uğur: istənilən iş tamamlandı.
reply-class-3 = Hələlik qəbul olundu: server əlavə məlumat gözləyir.
reply-class-4 = Müvəqqəti xəta: iş görülmədi, amma sonra təkrar cəhd edəndə alına bilər.
reply-class-5 = Daimi xəta: iş görülmədi və heç nə dəyişmədən təkrarlamaq yenə uğursuz olacaq.

## Genişləndirilmiş status kodları (RFC 3463)

enhanced-0-0 = Başqa və ya təyin olunmamış status: cavab öz sinfindən artıq heç nə demir.
enhanced-1-0 = Ünvanla bağlı problem; daha dəqiq kod buna uyğun gəlmir.
enhanced-1-1 = Təyinat yerində belə poçt qutusu yoxdur: istifadəçi tanınmır.
enhanced-1-2 = Təyinat sistemi (@ işarəsindən sonrakı hissə) yoxdur və ya məktub qəbul etmir.
enhanced-1-3 = Alıcı ünvanının sintaksisi səhvdir.
enhanced-1-4 = Alıcı ünvanı birmənalı deyil: bir neçə poçt qutusuna uyğun gəlir.
enhanced-1-5 = Alıcı ünvanı düzgündür (uğur kodu).
enhanced-1-6 = Poçt qutusu başqa yerə köçüb və yönləndirmə ünvanı yoxdur.
enhanced-1-7 = Göndərən ünvanının sintaksisi səhvdir.
enhanced-1-8 = Göndərənin sistemi düzgün deyil və ya cavab məktublarını qəbul etmir.
enhanced-1-9 = Məktub çatdırılma hesabatı göndərməyən bir sistemə ötürülüb.
enhanced-1-10 = Alıcının domeni null MX dərc edir: heç bir məktub qəbul etmir.
enhanced-2-0 = Poçt qutusu ilə bağlı problem; daha dəqiq kod buna uyğun gəlmir.
enhanced-2-1 = Poçt qutusu var, amma söndürülüb və məktub qəbul etmir.
enhanced-2-2 = Poçt qutusu doludur.
enhanced-2-3 = Məktub bu poçt qutusunun qəbul etdiyindən uzundur.
enhanced-2-4 = Poçt siyahısını açmaq mümkün olmadı.
enhanced-3-0 = Qəbul edən poçt sistemi ilə bağlı problem; daha dəqiq kod buna uyğun gəlmir.
enhanced-3-1 = Poçt sisteminin yaddaşı doludur.
enhanced-3-2 = Sistem hazırda məktub qəbul etmir (məsələn, söndürülür).
enhanced-3-3 = Sistemdə məktubun tələb etdiyi imkan yoxdur.
enhanced-3-4 = Məktub sistemin qəbul etdiyindən böyükdür.
enhanced-3-5 = Sistem səhv qurulub.
enhanced-4-0 = Şəbəkə və ya marşrutla bağlı problem; daha dəqiq kod buna uyğun gəlmir.
enhanced-4-1 = Hostdan cavab gəlmir: bağlantı qurmaq mümkün olmadı.
enhanced-4-2 = Bağlantı quruldu, amma qırıldı və ya vaxtı bitdi.
enhanced-4-3 = Kataloq serveri (məsələn, DNS) xəta verdi.
enhanced-4-4 = Təyinat yerinə marşrut yoxdur: məsələn, domenin nə MX yazısı, nə də ünvanı var.
enhanced-4-5 = Poçt sistemi həddən artıq yüklənib; sonra cəhd edin.
enhanced-4-6 = Marşrut dövrəsi: məktub eyni hostlardan həddən artıq çox keçib.
enhanced-4-7 = Məktub növbədə çox qaldı və vaxtı bitdi.
enhanced-5-0 = SMTP protokolu ilə bağlı problem; daha dəqiq kod buna uyğun gəlmir.
enhanced-5-1 = Bu əmr burada keçərli deyil və ya dəstəklənmir.
enhanced-5-2 = Əmri təhlil etmək mümkün olmadı: sintaksis xətası.
enhanced-5-3 = Bir məktub üçün alıcıların sayı həddən artıqdır.
enhanced-5-4 = Əmrin arqumentləri və ya parametrləri keçərli deyil.
enhanced-5-5 = Klientlə serverin protokol versiyaları uyğun gəlmir.
enhanced-5-6 = Autentifikasiya mübadiləsinin bir sətri çox uzundur.
enhanced-6-0 = Məktubun məzmunu ilə bağlı problem; daha dəqiq kod buna uyğun gəlmir.
enhanced-6-1 = Məktubdakı media tiplərindən biri dəstəklənmir.
enhanced-6-2 = Məzmunu çevirmək lazım gələrdi, buna isə qadağa var.
enhanced-6-3 = Məzmunu çevirmək lazım gələrdi, bu isə dəstəklənmir.
enhanced-6-4 = Məzmun çevrilərkən bir hissəsi itdi.
enhanced-6-5 = Məzmunu çevirmək alınmadı.
enhanced-6-6 = Məktubun məzmunu əlçatan deyil (məsələn, BURL üçün).
enhanced-6-7 = Bu göndərən və ya alıcı üçün ASCII olmayan ünvana icazə yoxdur (SMTPUTF8 çatışmır).
enhanced-6-8 = UTF-8 cavab lazımdır, amma klient onu qəbul etmir.
enhanced-6-9 = Başlıqları UTF-8 ilə yazılmış məktub alıcılardan birinə və ya bir neçəsinə gedə bilməz.
enhanced-7-0 = Təhlükəsizlik və ya qaydalarla bağlı problem; daha dəqiq kod buna uyğun gəlmir.
enhanced-7-1 = Çatdırılmaya icazə yoxdur: qaydalar imkan vermir, məsələn, relay qadağandır.
enhanced-7-2 = Poçt siyahısını açmağa icazə yoxdur.
enhanced-7-3 = Təhlükəsizlik çevrilməsi lazımdır, amma mümkün deyil.
enhanced-7-4 = Məktubun tələb etdiyi təhlükəsizlik imkanları dəstəklənmir.
enhanced-7-5 = Kriptoqrafik əməliyyat alınmadı.
enhanced-7-6 = Kriptoqrafik alqoritm dəstəklənmir.
enhanced-7-7 = Məktub bütövlük yoxlamasından keçmədi.
enhanced-7-8 = Autentifikasiya məlumatları yanlışdır.
enhanced-7-9 = Autentifikasiya mexanizmi çox zəifdir.
enhanced-7-10 = Bunun üçün şifrələmə lazımdır.
enhanced-7-11 = Bu autentifikasiya mexanizmi şifrəli bağlantı tələb edir: əvvəlcə STARTTLS göndərin.
enhanced-7-12 = Parolu yeniləmək lazımdır.
enhanced-7-13 = İstifadəçi hesabı söndürülüb.
enhanced-7-14 = Etibar münasibəti tələb olunur.
enhanced-7-15 = Məktubun prioritet səviyyəsi çox aşağıdır.
enhanced-7-16 = Məktub öz prioriteti üçün çox böyükdür.
enhanced-7-17 = Göndərən sonuncu dəfə yoxlayandan bəri poçt qutusunun sahibi dəyişib.
enhanced-7-18 = Göndərən sonuncu dəfə yoxlayandan bəri domenin sahibi dəyişib.
enhanced-7-19 = "Alıcı filan vaxtdan bəri keçərlidir" yoxlamasını başa çatdırmaq mümkün deyil.
enhanced-7-20 = Yoxlamadan keçən DKIM imzası tapılmadı.
enhanced-7-21 = Qəbul edilə bilən DKIM imzası tapılmadı.
enhanced-7-22 = Müəllifin domeninə uyğun gələn keçərli DKIM imzası tapılmadı.
enhanced-7-23 = Göndərənin SPF yoxlaması uğursuz oldu.
enhanced-7-24 = SPF yoxlamasını başa çatdırmaq mümkün olmadı.
enhanced-7-25 = Klientin əks DNS yoxlaması uğursuz oldu.
enhanced-7-26 = Bir neçə autentifikasiya yoxlaması uğursuz oldu.
enhanced-7-27 = Göndərənin domeni null MX dərc edir, yəni ona cavab məktubu çatdırmaq mümkün deyil.
enhanced-7-29 = Məktub ARC yoxlamasından keçmədi.
enhanced-7-30 = Məktub bütün yol boyu TLS tələb edir (REQUIRETLS), bu isə təmin oluna bilmir.

## Genişləndirilmiş kodların sinifləri

enhanced-class-2 = Uğur
enhanced-class-4 = Davamlı müvəqqəti xəta: sonra alına bilər
enhanced-class-5 = Daimi xəta: heç nə dəyişmədən alınmayacaq

## Əmrlər (RFC 5321 §4.1.1)

command-ehlo = Klient serverlə öz adını deyərək salamlaşır və serverin hansı genişlənmələri (ESMTP) təklif etdiyini soruşur; başlanmış tranzaksiya da sıfırlanır.
command-helo = Genişlənmələrsiz ilkin salamlama: klient özünü adlandırır, server sadə SMTP ilə cavab verir.
command-mail = Poçt tranzaksiyasını başladır və geri qaytarma yolunu bildirir: bu məktub haqqında hesabatlar (geri qayıtmalar) ora gedəcək. <> "heç yerə" deməkdir, geri qayıtma məktubunun özündə olduğu kimi.
command-rcpt = Məktubun bir alıcısını adlandırır. Server hər alıcıya ayrıca cavab verir; məktubun çoxlu alıcısı ola bilər.
command-data = Məktubu göndərmək üçün icazə istəyir. 354-dən sonra klient başlığı və mətni göndərir, sonunda yalnız bir nöqtədən ibarət sətir gəlir; nöqtə ilə başlayan sətirlərə bir nöqtə də əlavə olunur.
command-bdat = Məktubun bir hissəsini onun oktetlə dəqiq ölçüsü ilə göndərir, ona görə nə nöqtə əlavə etmək, nə də son işarəsi lazımdır; LAST son hissəni bildirir.
command-rset = Cari poçt tranzaksiyasından imtina edir: göndərən, alıcılar və məlumat unudulur, bağlantı isə qalır.
command-vrfy = İstifadəçinin və ya poçt qutusunun olub-olmadığını soruşur. Əksər serverlər demir (252), çünki cavab spamçılara ünvan toplamağa kömək edir.
command-expn = Serverdən poçt siyahısının üzvlərini açmasını xahiş edir; məxfilik naminə demək olar həmişə rədd edilir.
command-help = Terminal arxasındakı insan üçün kömək mətni istəyir.
command-noop = Heç nə etmir, sadəcə 250 cavabı alır: bağlantını canlı saxlamaq və serverin hələ cavab verdiyini yoxlamaq üçün.
command-quit = Sessiyanı bitirir: server 221 ilə cavab verib bağlantını bağlayır.
command-starttls = Bağlantını TLS-ə keçirir. Serverin 220 cavabından sonra hər iki tərəf TLS əl sıxmasını aparır və EHLO ilə yenidən başlayır; əvvəl göndərilənlər unudulur.
command-auth = Klienti PLAIN və ya LOGIN kimi bir SASL mexanizmi ilə autentifikasiya edir; adətən istifadəçi başqa domenlərə məktub göndərə bilsin deyə.

## Yerində cavablar

answer-greeting-220 = Server hazırdır və özünü təqdim edir. Klient yalnız indi danışa bilər və EHLO ilə başlayır.
answer-ehlo-250 = Server klienti onun dediyi adla salamlayır. Sonrakı hər sətir klientin bu sessiyada istifadə edə biləcəyi bir SMTP genişlənməsini adlandırır.
answer-helo-250 = Server klientlə sadə SMTP ilə salamlaşır: genişlənmə siyahısı yoxdur, deməli, klient onların heç birindən istifadə etmir.
answer-starttls-220 = TLS əl sıxmasına indi başlayın. O bitəndən sonra hər iki tərəf indiyədək olan sessiyanı unudur və klient yenidən EHLO ilə başlayır.
answer-auth-235 = Giriş məlumatları düzgündür: klient sessiyanın sonunadək daxil olub və indi öz istifadəçisinin adından məktub göndərə bilər.
answer-mail-250 = Göndərən qəbul olundu, yeni poçt tranzaksiyası başladı. İndi klient hər alıcını RCPT TO ilə adlandırır.
answer-rcpt-250 = Server bu alıcı üçün məktubu qəbul edəcək. Klient daha başqa alıcılar da adlandıra, sonra DATA göndərə bilər.
answer-data-354 = Buyurun: server indi məktubun özünü — başlığı və mətni — yalnız nöqtədən ibarət sətrə qədər oxuyur.
answer-end-of-data-250 = Məktub qəbul olundu. Bu andan etibarən ona qəbul edən server cavabdehdir: onu ya çatdırmalı, ya da göndərənə geri qayıtma bildirişi yollamalıdır.
answer-bdat-250 = Məktubun bu hissəsi çatdı. LAST hissədən sonra bu cavab bütün məktubun qəbul olunduğunu və artıq serverin ona cavabdeh olduğunu bildirir.
answer-rset-250 = İndiyədək olan tranzaksiya (göndərən, alıcılar, məlumat) unuduldu; bağlantı yenisi üçün açıq qalır.
answer-quit-221 = Server sağollaşıb bağlantını bağlayır. 250 ilə qəbul etdiyi hər məktub artıq onun məsuliyyətindədir.

## EHLO açar sözləri

keyword-pipelining = Klient bir neçə əmri (MAIL, hər RCPT, DATA) hər birinin cavabını gözləmədən göndərə bilər; bu, gediş-gəlişlərə qənaət edir.
keyword-size = Serverin qəbul etdiyi ən böyük məktub, oktetlə. Klient MAIL əmrində məktubunun ölçüsünü bildirir və çox böyük məktub hələ göndərilmədən rədd edilir.
keyword-8bitmime = MAIL əmrində BODY=8BITMIME deyiləndə məktubda 127-dən böyük oktetlər (məsələn, UTF-8 ilə yazılmış ə, ş, ç hərfləri) ola bilər.
keyword-smtputf8 = MAIL əmrində SMTPUTF8 deyiləndə ünvanlar və başlıq sahələri UTF-8 ilə yazıla bilər, məsələn, jösé@example.org.
keyword-enhancedstatuscodes = Hər cavabda üç rəqəmdən sonra ikinci, daha dəqiq kod gəlir, məsələn, 5.1.1 (belə poçt qutusu yoxdur).
keyword-chunking = Məktub DATA əvəzinə BDAT ilə sayılmış hissələrlə göndərilə bilər: sonunda nöqtə lazım deyil, nöqtə əlavə etmək də.
keyword-binarymime = BDAT ilə məktubda istənilən oktet ola bilər, sətir uzunluğuna da hədd yoxdur (BODY=BINARYMIME).
keyword-dsn = Çatdırılma status bildirişləri: klient uğur, uğursuzluq və ya gecikmə haqqında hesabat istəyə (NOTIFY), geri qayıtma məktubunun məktubdan nə qədərini qaytaracağını (RET) və hesabatlar üçün identifikatoru (ENVID) bildirə bilər.
keyword-starttls = Klient STARTTLS əmri ilə bu bağlantını şifrəli bağlantıya çevirə bilər.
keyword-requiretls = Klient məktubun bundan sonrakı hər addımda yalnız TLS üzərindən getməsini tələb edə bilər (MAIL … REQUIRETLS).
keyword-auth = Klient məktub göndərməzdən əvvəl sadalanan SASL mexanizmlərindən (PLAIN, LOGIN) biri ilə daxil ola bilər.
keyword-limits = Serverin hədləri əvvəlcədən deyilir, məsələn, RCPTMAX: bir tranzaksiyada qəbul etdiyi ən çox alıcı sayı; belə ki, klient böyük siyahını hissələrə bölə bilsin.

## Mövzular

topic-submit = Poçt klienti yeni məktubu daxil olduqdan sonra öz serverinə göndərmə portunda (587) təhvil verir; çatdırılmanın qayğısına bundan sonra o server qalır.
    .label = göndərmə
topic-connect = Göndərən host qəbul edən hostun 25-ci portuna TCP bağlantısı açır; ilk sözü qəbul edən deyir, öz salamlaması ilə.
    .label = bağlantı
topic-connect-refused = Bağlantını heç kim qəbul etmir. Göndərən təslim olmur: marşrutdakı növbəti hostu yoxlayır, sonra isə yenidən cəhd edir.
    .label = bağlantı rədd edildi
topic-connect-timeout = Host ümumiyyətlə cavab vermir. Gözləmə vaxtı bitəndən sonra göndərən bunu rədd edilmiş bağlantı kimi qəbul edir: növbəti host, sonra təkrar cəhd.
    .label = bağlantının vaxtı bitdi
topic-tls = STARTTLS və onun 220 cavabından sonra hər iki tərəf TLS əl sıxmasını aparır; sonra klient əvvəl öyrəndiklərini unudaraq EHLO ilə yenidən başlayır (simulyator şifrələmir).
    .label = TLS
topic-dns-mx = Domenə məktub çatdırmaq üçün göndərən DNS-dən domenin MX yazılarını soruşur: onun üçün məktub qəbul edən hostları, hər biri öz üstünlük dəyəri ilə (kiçik olan əvvəl yoxlanılır).
    .label = DNS MX sorğusu
topic-dns-srv = SRV marşrutlaşdırmasında (Exim kimi bəzi MTA-ların təklif etdiyi seçim) göndərən əvvəlcə _smtp._tcp SRV yazılarını soruşur: prioriteti, çəkisi və portu olan hostları.
    .label = DNS SRV sorğusu
topic-dns-address = Hər poçt hostunun adı AAAA (IPv6) və A (IPv4) sorğuları ilə ünvanlara çevrilir.
    .label = DNS ünvan sorğusu
topic-dns-answer = Resolverin cavabı: yazılar, "belə ad yoxdur" (NXDOMAIN), "bu tipdə yazı yoxdur" və ya xəta; xəta isə sadəcə "sonra yenidən cəhd edin" deməkdir.
    .label = DNS cavabı
topic-route = Yoxlanılacaq hostlar, növbə ilə: MX yazıları üstünlük dəyərinə görə, yükü paylamaq üçün bərabər dəyərlilər təsadüfi sırada; MX yoxdursa, domenin özü (gizli MX).
    .label = marşrut
topic-no-route = Yoxlanılası host yoxdur: domen mövcud deyil, məktub qəbul etmir (null MX) və ya sorğu alınmadı. Alınmayan sorğu müvəqqətidir, qalanları daimidir.
    .label = marşrut yoxdur
topic-queue = Server məlumatın sonuna 250 cavabı verən kimi məktuba cavabdeh olur: məktub çatdırılana və ya geri qaytarılana qədər onu öz növbəsində saxlayır.
    .label = növbə
topic-retry = Müvəqqəti xəta (4yz və ya heç bir hosta çatmamaq) alıcını növbədə saxlayır; bir neçə gün ərzində, getdikcə uzanan fasilələrlə yenidən cəhd olunur.
    .label = təkrar cəhd
topic-deliver = Son server məktubu alıcının poçt qutusuna qoyur; Return-Path və Received başlıq sahələri onun keçdiyi yolu qeyd edir.
    .label = çatdırılma
topic-relay = Ehtiyat MX özünə aid olmayan domen üçün məktubu qəbul edib növbəyə qoyur ki, daha üstün host yenidən işə düşəndə onu ora ötürsün.
    .label = ötürmə
topic-bounce = Alıcıya çatdırmaq qəti alınmadı: məktubu saxlayan server göndərənə çatdırılma status bildirişi yollayır; bildiriş boş geri qaytarma yolundan (<>) gəlir ki, özü heç vaxt geri qayıtmasın.
    .label = geri qayıtma
topic-greylisting = Qəbul edən server tanımadığı göndərəndən ilk dəfə gələn məktubu müvəqqəti 4yz ilə rədd edə bilər; əsl MTA-lar yenidən cəhd edir və buraxılır, bir çox spam göndərən isə etmir.
    .label = boz siyahı
topic-round-trips = Klient hər dəfə daha çox göndərməzdən əvvəl cavab gözləməli olanda bu, şəbəkədə bir gediş-gəlişə başa gəlir. PIPELINING ilə klient MAIL, hər RCPT və DATA əmrlərini bir dəfəyə göndərir, cavabları isə sıra ilə oxuyur.
    .label = gediş-gəlişlər
topic-pregreet = Klient nəsə göndərməzdən əvvəl serverin 220 salamlamasını gözləməlidir. Spam proqramları çox vaxt gözləmir: vaxta qənaət üçün dərhal göndərirlər. Server salamlamasını bir neçə saniyə saxlaya (Postfix-in postscreen-i 6 saniyə gözləyir) və ilk danışanı 554 ilə rədd edə bilər; əsl poçt klientləri və serverləri gözləyir və bunu heç hiss etmir.
    .label = tələsik klient
topic-mua = MUA, poçt istifadəçisi agenti: insanın məktub oxuyub yazdığı proqram (Thunderbird, telefondakı poçt tətbiqi, veb-poçt səhifəsi). Yeni məktubu MSA-ya təhvil verir, gələnləri isə POP3 və ya IMAP ilə götürür.
    .label = MUA
topic-msa = MSA, məktub göndərmə agenti: istifadəçinin yeni məktubunu daxil olduqdan sonra, adətən 587 və ya 465-ci portda qəbul edən, yoxlayan və MTA-ya ötürən server.
    .label = MSA
topic-mta = MTA, məktub ötürmə agenti: məktubu 25-ci portda SMTP ilə serverdən serverə ötürən poçt serveri; növbəti serveri alıcı domeninin MX yazılarına görə tapır.
    .label = MTA
topic-mda = MDA, məktub çatdırma agenti: serverdəki son addım; məktubu alıcının poçt qutusuna (məsələn, Maildir-ə) qoyur, MUA onu orada tapacaq.
    .label = MDA
topic-envelope = Zərf MAIL FROM və RCPT TO-nun dediyidir: məktub hara gedir və geri qayıtmalar hara qayıdır. Başlıq (From:, To:, Subject:) isə məktubun özünün bir hissəsidir və tamam başqa şey deyə bilər — Bcc və poçt siyahıları bunu göstərir.
    .label = zərf
topic-uucp = DNS MX yazıları ilə SMTP-dən əvvəl poçtun çoxu UUCP ilə gedirdi: hostlar gündə bir neçə dəfə qonşularına zəng edirdi, göndərən isə bütün marşrutu "bang path" kimi yazırdı (hostA!hostB!user). Qırılan bir addım yolun bağlanması demək idi.
    .label = UUCP
topic-smuggling = SMTP qaçaqmalçılığı: server <LF>.<LF>-i məlumatın sonu kimi qəbul edərsə, "məktubun" qalanı yeni əmrlər kimi oxunur və saxta ikinci məktub içəri sızır. RFC 5321-ə görə sətirlər yalnız CRLF ilə bitir; ciddi server tək LF-ləri rədd edir.
    .label = qaçaqmalçılıq
topic-pop3 = Alıcının poçt klienti məktubları endirmək üçün poçt qutusu serverinə POP3 ilə (110-cu port, TLS ilə 995) qoşulur; SMTP yalnız serverlər arasında poçt daşıyır.
    .label = POP3
topic-pop3-user = USER poçt qutusunu adlandırır, ardınca PASS parolu verir. Hər ikisi uğurla keçənə qədər sessiya AUTHORIZATION vəziyyətindədir.
    .label = POP3 USER
topic-pop3-pass = PASS parolu verir; +OK gələndə server poçt qutusunu kilidləyir və sessiya TRANSACTION vəziyyətinə keçir.
    .label = POP3 PASS
topic-pop3-stat = STAT poçt qutusunda neçə məktub olduğunu və onların oktetlə ümumi ölçüsünü soruşur.
    .label = POP3 STAT
topic-pop3-retr = RETR bir məktubu bütövlükdə göndərir, sonunda yalnız nöqtədən ibarət sətir gəlir; nöqtə ilə başlayan sətirlərə bir nöqtə də əlavə olunur — SMTP-nin DATA əmrində olduğu kimi.
    .label = POP3 RETR
topic-pop3-dele = DELE məktubu silinmiş kimi işarələyir; məktub yalnız sessiya QUIT ilə bitəndə silinir.
    .label = POP3 DELE
topic-pop3-quit = QUIT sessiyanı bitirir; TRANSACTION vəziyyətində server indi silinmiş kimi işarələnən məktubları silir (UPDATE vəziyyəti).
    .label = POP3 QUIT
topic-pop3-reply = POP3 cavabları +OK və ya -ERR ilə başlayır; çoxsətirli cavab yalnız nöqtədən ibarət sətirlə bitir.
    .label = POP3 cavabı
topic-imap = Alıcının poçt klienti poçt qutusunu IMAP ilə oxuyur. 993-cü portda TLS dərhal başlayır (RFC 8314), ona görə parol şifrələnmiş halda gedir; burada göstərilən sətirlər hər tərəfin TLS-in içində oxuduğudur. POP3-dən fərqli olaraq IMAP məktubları serverdə saxlayır, ona görə oxucunun bütün cihazları eyni poçt qutusunu görür.
    .label = IMAP
topic-imap-login = Hər IMAP əmri klientin seçdiyi teqlə başlayır (a1, a2, …); server cavabını eyni teqlə bitirir, beləliklə cavabı əmrlə tutuşdurmaq olur. LOGIN istifadəçi adını və parolu verir və sessiyanı "autentifikasiya olunmamış" vəziyyətdən "autentifikasiya olunmuş" vəziyyətə keçirir.
    .label = IMAP LOGIN
topic-imap-select = SELECT poçt qutusunu açır (INBOX hər hesabda olan qutudur). Server neçə məktub olduğunu, işlənən bayraqları, həmçinin UIDVALIDITY və UIDNEXT dəyərlərini bildirir — bunlarla klient öz nüsxəsini sessiyadan sessiyaya uyğun saxlayır; READ-WRITE bayraqların dəyişə biləcəyini göstərir.
    .label = IMAP SELECT
topic-imap-fetch = FETCH bir sıra məktub haqqında məlumat istəyir: 1:* birincidən sonuncuya qədər deməkdir. BODY[] məktubun tamamıdır; onu oxumaq \Seen bayrağını qoyur. Məktub literal kimi gəlir — əvvəl {"{"}n{"}"}, sonra düz n oktet — ona görə POP3 və SMTP-dəki kimi nöqtə əlavə etməyə ehtiyac qalmır.
    .label = IMAP FETCH
topic-imap-logout = LOGOUT sessiyanı bitirir: server əvvəl BYE deyir, sonra əmri tamamlayır. Heç nə silinmir; məktublar serverdə qalır, indi \Seen kimi işarələnib.
    .label = IMAP LOGOUT
topic-imap-response = IMAP cavabları "*" ilə başlayan teqsiz sətirlərlə (EXISTS, FETCH kimi məlumat) gəlir və bir teqli sətirlə bitir: OK (görüldü), NO (alınmadı) və ya BAD (əmr səhvdir).
    .label = IMAP cavabı
topic-spf-record = SPF: qəbul edən server MAIL FROM-dakı domenin (geri qaytarılan məktubda isə HELO adının) TXT yazılarını DNS-dən soruşur. v=spf1 ilə başlayan yazı həmin domenin adından məktub göndərə bilən hostları sadalayır; include:, a, mx və redirect= əlavə sorğular tələb edir, ən çoxu on dənə.
    .label = SPF yazısı
topic-spf-pass = SPF pass: müştərinin ünvanı domenin siyahısındadır, yəni MAIL FROM-dakı domen bu hosta öz adından göndərməyə həqiqətən icazə verib. Oxucunun gördüyü From: ünvanı barədə isə bu hələ heç nə demir.
    .label = SPF pass
topic-spf-fail = SPF fail: domen bu ünvandan öz məktublarının göndərilməsinə icazə vermir (yazısı -all ilə bitir və başqa heç nə uyğun gəlmədi). Qəbul edən server məktubu 550 5.7.23 ilə rədd edə bilər. Yönləndirilən məktublar da belə uğursuz olur — DKIM-in yaranma səbəblərindən biri də budur.
    .label = SPF fail
topic-spf-softfail = SPF softfail: domen deyir ki, bu ünvan çox güman onun məktublarını göndərməməlidir (~all), amma məktubu birbaşa rədd etməməyi xahiş edir; adətən qəbul edilir, lakin işarələnə bilər.
    .label = SPF softfail
topic-spf-neutral = SPF neutral: domenin yazısı bu ünvan barədə nə "hə", nə də "yox" deyir (?all); məktuba yazı yoxmuş kimi baxılır.
    .label = SPF neutral
topic-spf-none = SPF none: domen SPF yazısı dərc etmir, ya da yoxlanacaq domen yoxdur, ona görə SPF heç nə deyə bilmir.
    .label = SPF none
topic-spf-error = SPF temperror və ya permerror: DNS xətası (eyni yoxlama sonra keçə bilər) və ya sintaksis xətası, ondan çox sorğu kimi pozulmuş yazı. Heç biri saxtakarlığın sübutu deyil, ona görə rədd üçün səbəb də deyil.
    .label = SPF xətası
topic-dkim-key = DKIM: imza öz domenini (d=) və selektorunu (s=) göstərir; qəbul edən server DNS-dən selektor._domainkey.domen ünvanındakı TXT yazısını soruşur — domenin açıq açarı (p=) oradadır.
    .label = DKIM açarı
topic-dkim-pass = DKIM pass: məktubun gövdəsinin heşi hələ də imzadakı bh= ilə üst-üstə düşür, imzalanmış başlıq sahələri də domenin açıq açarı ilə təsdiqlənir: məktuba bu domen cavabdehdir və imzaladığı hissəni heç kim dəyişməyib.
    .label = DKIM pass
topic-dkim-fail = DKIM fail: gövdə artıq bh= ilə uyğun gəlmir, ya da imza açarla təsdiqlənmir. Məktub imzalandıqdan sonra dəyişdirilib (poçt siyahısının əlavə etdiyi alt yazı, yenidən yazılmış Subject) və ya imza saxtadır.
    .label = DKIM fail
topic-dkim-none = DKIM none: məktubda DKIM-Signature sahəsi yoxdur, ona heç bir domen zamin durmur.
    .label = DKIM none
topic-dkim-error = DKIM temperror və ya permerror: açarı hələlik almaq mümkün olmadı, ya da imza və ya onun açar yazısı pozulub, ləğv edilib (boş p=) və ya qəbul edən serverlərin rədd etməli olduğu rsa-sha1 kimi alqoritmdən istifadə edir.
    .label = DKIM xətası
topic-dmarc-record = DMARC: qəbul edən server müəllif domeninin (From: ünvanının domeninin) qarşısına _dmarc. artırıb TXT yazısını soruşur; belə yazı yoxdursa, onun təşkilati domeninin _dmarc. yazısını (mail.example.co.uk üçün example.co.uk — Public Suffix List-ə görə tapılır). Yazıdakı p= uğursuz məktubla nə ediləcəyini deyir.
    .label = DMARC siyasəti
topic-dmarc-pass = DMARC pass: SPF və ya DKIM From: domeni ilə uzlaşan bir domen üçün keçib (eyni domen, yumşaq uzlaşmada isə təşkilati domeni eyni olan domen). Deməli, sübut olunan məhz oxucunun gördüyü domendir.
    .label = DMARC pass
topic-dmarc-fail = DMARC fail: nə SPF, nə də DKIM From: ilə uzlaşan domen üçün keçməyib. Nə olacağını domenin siyasəti həll edir: none (yalnız hesabat), quarantine (spam qovluğu) və ya reject (550 5.7.1 ilə rədd).
    .label = DMARC fail
topic-dmarc-none = DMARC none: müəllif domeni DMARC siyasəti dərc etmir, ona görə qəbul edən server öz qaydalarına əməl edir.
    .label = DMARC none
topic-dmarc-error = DMARC temperror və ya permerror: siyasəti hələlik almaq olmadı, məktubda tək bir From: domeni yoxdur, ya da siyasət yazısı pozulub.
    .label = DMARC xətası

## Terminalda öyrənənin növbəti yaza biləcəyi

hint-ehlo = EHLO client.example
hint-mail = MAIL FROM:<alice@client.example>
hint-rcpt = RCPT TO:<bob@example.org>
hint-rcpt-or-data = DATA (və ya daha bir RCPT TO)
hint-content = Subject: Salam, boş sətir, mətn, sonra tək nöqtə (.)
hint-mail-or-quit = QUIT (və ya başqa məktub üçün MAIL FROM)

## Məlumat kitabçasının adları

# Yerində cavab: "RCPT üçün 250".
answer-label = { $answering } üçün { $code }
answering-greeting = salamlama
answering-end-of-data = məlumatın sonu

## "Sonra nə olacaq?" sualları; cavablarını simulyasiyanın özü verir

question-reply = { $host } bu { $command } əmrinə nə cavab verəcək?
question-end-of-data = Məktubun məlumatı nöqtə ilə bitdi. { $host } nə cavab verəcək?
question-connect = { $client } indi hansı hosta qoşulacaq?
question-outcome = { $recipient } üçün iş necə bitəcək?
question-mailbox-after = Poçt klienti işini bitirəndən sonra { $mailbox } poçt qutusunda neçə məktub qalacaq?
outcome-delivered = poçt qutusuna çatdırılır
outcome-bounced = göndərənə geri qaytarılır
outcome-queued = hələ növbədə gözləyir

## Simulyatorun addımları sözlə (naqildən keçən baytlar heç vaxt tərcümə olunmur)

step-connect = { $host } ({ $address }) ilə { $port } portu üzərindən TCP bağlantısı
step-connect-pop3 = { $host } ilə 110-cu portda TCP bağlantısı (POP3)
step-connect-imap = { $host } ilə 993-cü portda TLS bağlantısı (IMAP)
step-connection-refused = bağlantı rədd edildi
step-no-host-at = { $address } ünvanında heç bir host cavab vermir
step-no-answer = { $seconds } saniyə ərzində cavab gəlmədi
step-connection-closed = { $round_trips } gediş-gəlişdən sonra bağlantı bağlandı
step-tls = TLS əl sıxması (simulyasiyadır: burada heç nə şifrələnmir): { $version }, şifr dəsti { $cipher }
step-greeting-delay = { $server } salamlamadan əvvəl { $seconds } saniyə gözləyir: birinci danışan klient rədd edilir
step-talks-first = { $server } salamlamanı saxlayır; { $client } onu gözləmədən dərhal göndərir
step-dns-nxdomain = { $owner }: NXDOMAIN (belə ad yoxdur)
step-dns-no-records = { $owner }: { $kind } yazısı yoxdur
step-dns-servfail = { $owner }: SERVFAIL (sorğu alınmadı)
step-route = { $destination } üçün yoxlanılacaq host sayı: { $count }
step-no-route = { $destination } üçün marşrut yoxdur: { $reply }
step-queued = { $message } məktubu çatdırılmaq üçün növbəyə qoyuldu
step-retry = müvəqqəti uğursuzluq: növbəti cəhd { $wait } sonra ({ $at })
step-leaves-queue = { $message } məktubu növbədən çıxır: hər alıcıya ya çatdırılıb, ya da alınmayıb
step-no-report = hesabat yoxdur: boş geri ünvanlı (null reverse path) məktub heç vaxt geri qaytarılmır
step-fetched-pop3 = poçt klienti { $count } məktub endirdi
step-fetched-imap = poçt klienti { $count } məktub oxudu; serverdə { $left } məktub qaldı
step-uucp-path = göndərən yol üstündəki bütün hostları özü yazır: { $path }; nə DNS var, nə MX, nə də marşrut seçimi
step-uucp-no-link = { $from } ilə { $to } arasında əlaqə yoxdur: məktub ilişib qaldı; göndərən işləyən marşrutu bilməli idi
step-uucp-call = { $from } üzərindəki uucico { $to } hostuna zəng edir və məktubu "rmail { $rest }" əmri ilə göndərir
step-uucp-delivered = rmail { $user }: məktub { $host } üzərində { $user } poçt qutusuna çatdırıldı
step-stopped = simulyasiya { $steps } addımdan sonra dayandırıldı
step-submission-failed = göndərmə alınmadı: { $failure }
step-simulator-error = simulyator: { $error }
queue-pending = { $recipient } gözləyir, növbəti cəhd: { $at }
queue-delivered = { $recipient } çatdırıldı
queue-failed = { $recipient } alınmadı
duration-hours = { $hours } saat { $minutes } dəq
duration-minutes = { $minutes } dəq
duration-seconds = { $seconds } san

## Ssenaridəki problemlər, sandboxda sahənin yanında göstərilir
problem-version = { $version } versiyası tanınmır: burada yalnız { $supported } versiyası oxunur
problem-id = yalnız kiçik latın hərfləri, rəqəmlər və «-» işarəsi yazın
problem-named-twice = «{ $name }» adı iki dəfə verilib
problem-not-mailbox = «{ $value }» poçt qutusu ünvanı deyil
problem-no-submission-host = «{ $name }» adlı və rolu «submission» olan host yoxdur
problem-raw-client = host adı və IP ünvanı lazımdır
problem-sender-kind = ya «submission», ya da «raw_client» göstərin
problem-not-bang-path = «{ $value }» bang yolu (host!istifadəçi) deyil
problem-at-least-one = ən azı 1 olmalıdır
problem-no-recipient = ən azı bir alıcı göstərin
problem-subject-control = burada CR, LF kimi idarəetmə simvolları ola bilməz
problem-over-limit = { $count } icazə verilən { $limit } həddindən çoxdur
problem-not-host-name = «{ $value }» ASCII host adı deyil
problem-not-ip = «{ $value }» IP ünvanı deyil
problem-unknown-role = «{ $value }» tanınmayan dəyərdir; «submission», «mailbox» və ya «backup» yazın
problem-not-domain = «{ $value }» domen adı deyil
problem-unknown-behaviour = «{ $value }» tanınmayan dəyərdir; tanınanlar: { $known }
problem-not-mx = «{ $value }» «üstünlük server» (preference exchange) şəklində deyil
problem-not-ipv4 = «{ $value }» IPv4 ünvanı deyil
problem-not-ipv6 = «{ $value }» IPv6 ünvanı deyil
problem-not-srv = «{ $value }» «prioritet çəki port hədəf» (priority weight port target) şəklində deyil
problem-unknown-record-type = «{ $value }» tanınmayan yazı növüdür; MX, A, AAAA, CNAME, SRV, NXDOMAIN və ya SERVFAIL yazın
# $detail serde-nin öz mətnidir, ingiliscə.
problem-json = bu, ssenari deyil: { $detail }
problem-json-at = bu, ssenari deyil: { $detail } (sətir { $line }, sütun { $column })
