/**
 * Arabic texts (plain Modern Standard Arabic, understood across dialects). Same keys and
 * placeholders as the Hebrew reference catalog (checked in `index.ts`); bidi isolates as in Hebrew.
 */
import { isolate, isolateLtr } from './bidi.ts';
import type { Catalog } from './index.ts';

export const ar = {
  // WhatsApp template bodies
  'template.missedCall': `مرحباً، معك ${isolate('{business}')} 👋\nرأينا أنك اتصلت بنا ولم نتمكن من الرد، نعتذر عن ذلك.\nكيف يمكننا مساعدتك؟ اكتب لنا هنا وسنعود إليك قريباً.`,
  'template.reviewRequest': `مرحباً ${isolate('{name}')}، معك ${isolate('{business}')}.\nشكراً لاختيارك لنا! إذا كان لديك دقيقة، يسعدنا كثيراً أن تكتب لنا تقييماً قصيراً على جوجل:\n{link}\nهذا يساعدنا كثيراً 🙏\nلإيقاف هذه الرسائل، أرسل «توقف».`,
  'template.reviewReminder': `مرحباً، معك ${isolate('{business}')} 🙂\nتذكير بسيط: إذا كان لديك دقيقة، يسعدنا تقييمك القصير على جوجل:\n{link}\nشكراً جزيلاً!\nلإيقاف هذه الرسائل، أرسل «توقف».`,
  'template.ownerAlert': `🔔 تحديث جديد بخصوص عملك:\n{text}\nيمكنك الرد هنا للمتابعة.`,

  // Consent
  'consent.optedOut': `تم إلغاء اشتراكك ولن نرسل لك رسائل أخرى. للعودة إلى تلقي الرسائل، أرسل ${isolateLtr('START')} في أي وقت.`,
  'consent.optedIn': 'رائع، ستصلك رسائلنا من جديد. لإلغاء الاشتراك، أرسل «توقف» في أي وقت.',

  // Lead capture (customer)
  'lead.greeting': `مرحباً! معك ${isolate('{business}')} 😊 يسعدنا مساعدتك.`,
  'lead.askName': 'حتى نتمكن من العودة إليك، ما اسمك؟',
  'lead.askNeed': `تشرفنا يا ${isolate('{name}')}! كيف يمكننا مساعدتك؟ يكفي وصف قصير.`,
  'lead.askTime': 'ومتى يناسبك أن نتواصل معك؟ (مثلاً: اليوم بعد الساعة 5، غداً صباحاً)',
  'lead.whoAreWe': `معك المساعد الرقمي لـ${isolate('{business}')} 🙂 نجمع بعض التفاصيل القصيرة حتى نعود إليك بسرعة.`,
  'lead.handoff': `بكل سرور. حوّلنا طلبك إلى فريق ${isolate('{business}')}، وسيتواصل معك أحدهم شخصياً قريباً.`,
  'lead.thanks': `شكراً يا ${isolate('{name}')}! وصلتنا تفاصيلك، وسيتواصل معك أحد أفراد فريق ${isolate('{business}')} قريباً.`,
  'lead.nudge': 'نتأكد فقط أن رسالتنا وصلتك 🙂 يمكننا المتابعة من حيث توقفنا متى ناسبك.',
  'lead.closed': 'أغلقنا هذا الطلب حالياً. لأي سؤال، اكتب لنا هنا من جديد 🙂',

  // Review requests (customer)
  'reviewRequest.customerFallbackName': 'عزيزي العميل',
  'reviewRequest.replyThanks': `شكراً على ردك! نقلناه إلى فريق ${isolate('{business}')}، وسيعودون إليك إذا لزم الأمر.`,

  // Owner
  'owner.newLead': `🆕 عميل محتمل جديد: {summary}\n\nالاسم: ${isolate('{name}')}\nالطلب: ${isolate('{need}')}\nالوقت المناسب: ${isolate('{time}')}\nالهاتف: ${isolateLtr('{phone}')}`,
  'owner.partialLead': `📝 طلب لم يكتمل\nالهاتف: ${isolateLtr('{phone}')}\nتوقف العميل عن الرد في المنتصف. ما وصلنا:\n{details}`,
  'owner.handoff': `🙋 عميل طلب التحدث مع شخص من العمل\nالاسم: ${isolate('{name}')}\nالهاتف: ${isolateLtr('{phone}')}\nيُفضّل العودة إليه قريباً.`,
  'owner.button.callingBack': 'سأتصل به',
  'owner.button.done': 'تمّ',
  'owner.leadStatusUpdated': `✅ تم التحديث: ${isolate('{status}')}`,
  'owner.leadStatus.callingBack': 'سنتصل بالعميل',
  'owner.leadStatus.done': 'تمّت المعالجة',
  'owner.customerReply': `💬 ردّ من عميل\nالاسم: ${isolate('{name}')}\nالهاتف: ${isolateLtr('{phone}')}\n\n{text}`,
  'owner.reviewDraft': `⭐ تقييم جديد على جوجل (مسودة ${isolateLtr('{number}')})\nمن: ${isolate('{reviewer}')}\nالتقييم: ${isolateLtr('{stars}')} من 5\n{comment}\n\nرد مقترح:\n{draft}\n\nللنشر: أرسل 1 أو «موافق».\nللتخطي: أرسل 2 أو «تخطي».\nأو اكتب ردك الخاص وسننشره بدلاً من المقترح.`,
  'owner.button.approve': 'موافقة ونشر',
  'owner.button.skip': 'تخطي',
  'owner.reviewPosted': `✅ تم نشر ردك على تقييم ${isolate('{reviewer}')} في جوجل.`,
  'owner.reviewSkipped': `👌 تخطينا تقييم ${isolate('{reviewer}')} ولم يُنشر أي رد.`,
  'owner.reviewAutoPosted': `⭐ تقييم جديد على جوجل من ${isolate('{reviewer}')} (${isolateLtr('{stars}')} من 5).\nنشرنا هذا الرد تلقائياً:\n{reply}`,
  'owner.draftReminder': `⏰ تذكير: تقييم ${isolate('{reviewer}')} (مسودة ${isolateLtr('{number}')}) ما زال بانتظار الرد.\nأرسل 1 للنشر، 2 للتخطي، أو اكتب ردك الخاص.`,
  'owner.draftDecidedApproved': `ℹ️ تمت الإجابة على تقييم ${isolate('{reviewer}')} (مسودة ${isolateLtr('{number}')}) من الرقم ${isolateLtr('{owner}')}: تمت الموافقة على نشر الرد في جوجل، لذلك لم تُستخدم إجابتك.`,
  'owner.draftDecidedSkipped': `ℹ️ تمت الإجابة على تقييم ${isolate('{reviewer}')} (مسودة ${isolateLtr('{number}')}) من الرقم ${isolateLtr('{owner}')}: تم التخطي ولن يُنشر أي رد، لذلك لم تُستخدم إجابتك.`,
  'owner.whichDraft': `هناك عدة مسودات بانتظار الرد (${isolateLtr('{numbers}')}). أيّها تقصد؟\nرُدّ مباشرة على رسالة المسودة، أو أضف رقمها، مثلاً «موافق 3».`,
  'owner.replyRejected': `⚠️ لم يقبل جوجل الرد على تقييم ${isolate('{reviewer}')}، لذلك لم يُنشر. يمكنك إرسال صياغة أخرى أقصر.`,
  'owner.googleDisconnected':
    '⚠️ انقطع الاتصال بملف نشاطك التجاري على جوجل، لذلك لا نرى التقييمات الجديدة ولا يمكننا نشر الردود. لإعادة الربط، أرسل «جوجل».',
  'owner.help':
    '👋 ما يمكنك فعله من هنا:\n• عملاء – آخر الطلبات\n• تقييمات – آخر التقييمات والمسودات التي تنتظرك\n• ما الجديد – ما حدث اليوم\n• إحصائيات – أرقام هذا الأسبوع\n• إيقاف – إيقاف الرسائل التلقائية للعملاء\n• استئناف – إعادة تشغيلها\n• إعدادات – تغيير إعداداتك\n• جوجل – ربط ملف نشاطك التجاري على جوجل\n• منشور – مسودة منشور على جوجل الآن\n• 📸 صورة – كل صورة ترسلها هنا تُرفع إلى ملفك على جوجل\n• مساعدة – هذه القائمة\n\nعلى مسودة (رد على تقييم أو منشور): 1 أو «موافق» للنشر، 2 أو «تخطي» للتخطي، أو اكتب نصك الخاص.',
  'owner.paused': '⏸️ تم إيقاف الرسائل التلقائية للعملاء مؤقتاً. لإعادة تشغيلها، أرسل «استئناف».',
  'owner.resumed': '▶️ عادت الرسائل التلقائية للعملاء إلى العمل.',
  'owner.unknownCommand': 'لم أفهم 🤔 أرسل «مساعدة» لترى ما يمكنك فعله.',
  'owner.unknownValue': 'غير محدد',
  'owner.noLeads': 'لا يوجد عملاء محتملون بعد. سنخبرك هنا فور وصول طلب جديد.',
  'owner.leadsList': '📋 آخر العملاء المحتملين:\n{list}',
  'owner.stats': `📊 أرقام هذا الأسبوع:\n• عملاء محتملون جدد: ${isolateLtr('{leads}')}\n• طلبات تقييم أُرسلت: ${isolateLtr('{requests}')}\n• تقييمات جديدة على جوجل: ${isolateLtr('{reviews}')}\n• ردود نُشرت: ${isolateLtr('{replies}')}`,

  // Fallback texts when no AI is available
  'reviewReply.positive': `شكراً جزيلاً يا ${isolate('{reviewer}')} على كلماتك الطيبة! سعدنا كثيراً بما كتبت، ونتطلع لرؤيتك مجدداً.\nفريق ${isolate('{business}')}`,
  'reviewReply.neutral': `شكراً يا ${isolate('{reviewer}')} على وقتك في كتابة التقييم. يهمنا أن نتحسن، ويسعدنا أن نسمع ما الذي يمكننا فعله بشكل أفضل.\nفريق ${isolate('{business}')}`,
  'reviewReply.negative': `${isolate('{reviewer}')}، نأسف جداً لأن تجربتك لم تكن كما توقعت. يهمنا أن نفهم ما حدث ونصلحه، ويسعدنا التحدث معك مباشرة.\nفريق ${isolate('{business}')}`,
  'lead.summary': `${isolate('{name}')} · ${isolate('{need}')} · الوقت المناسب: ${isolate('{time}')}`,

  // Welcome (template, once per owner phone)
  'template.ownerWelcome': `أهلاً بك في Findo! 👋 من الآن نساعد ${isolate('{business}')} هنا على واتساب:\n• نعاود التواصل مع من فاتتك مكالماتهم ونرسل لك تفاصيلهم\n• نطلب من الزبائن الراضين تقييماً على جوجل\n• نرد على تقييمات جوجل، ونسألك قبل أي رد حساس\nأرسل «مساعدة» لرؤية القائمة، و«جوجل» لربط ملف نشاطك التجاري على جوجل.`,

  // Connecting Google from the chat
  'owner.google.link':
    '🔗 لربط ملف نشاطك التجاري على جوجل، افتح الرابط واسمح بالوصول:\n{link}\nالرابط شخصي، يعمل مرة واحدة وصالح لمدة نصف ساعة.',
  'owner.google.unavailable': 'ربط جوجل من هنا غير متاح بعد. تواصل معنا وسنربطه معاً.',
  'owner.google.connected': `✅ تم ربط ملف نشاطك التجاري على جوجل: ${isolate('{title}')}\nمن الآن سنرد على التقييمات الجديدة ونبقيك على اطلاع هنا.`,
  'owner.google.pickLocation': '✅ تم ربط حساب جوجل. أي نشاط تجاري هو نشاطك؟\n{list}\nأجب برقمه.',
  'owner.google.pickInvalid': `هذا الرقم ليس في القائمة. أجب برقم من 1 إلى ${isolateLtr('{max}')}.`,
  'owner.google.noLocations':
    'تم ربط حساب جوجل، لكننا لم نجد فيه ملف نشاط تجاري. إذا كان النشاط مسجلاً في حساب آخر، أرسل «جوجل» وسجّل الدخول بذلك الحساب.',
  'owner.google.denied': 'لم تسمح بالوصول في جوجل، لذلك لم نربط شيئاً. للمحاولة مجدداً، أرسل «جوجل».',
  'owner.google.expired': 'انتهت صلاحية رابط جوجل. للحصول على رابط جديد، أرسل «جوجل».',
  'owner.google.failed': 'لم يُكمل جوجل الربط، لذلك لم نربط شيئاً. للحصول على رابط جديد، أرسل «جوجل».',
  'page.google.connected': 'تم الربط!\nيمكنك العودة إلى واتساب.',
  'page.google.denied': 'لم يُسمح بالوصول، ولم نربط شيئاً.\nعد إلى واتساب وأرسل «جوجل» للمحاولة مجدداً.',
  'page.google.expired': 'انتهت صلاحية هذا الرابط أو سبق استخدامه.\nأرسل «جوجل» على واتساب للحصول على رابط جديد.',
  'page.google.invalid': 'هذا الرابط غير صالح.\nأرسل «جوجل» على واتساب للحصول على رابط جديد.',
  'page.google.failed': 'لم يُكمل جوجل الربط، ولم يتغير شيء.\nأرسل «جوجل» على واتساب للحصول على رابط جديد.',

  // Settings by chat
  'owner.settings.menu': '⚙️ إعداداتك:\n{lines}\n\nللتغيير، أجب برقم البند.',
  'owner.settings.lines':
    '1. الرسائل التلقائية للزبائن: {paused}\n2. ساعات الهدوء (بلا رسائل للزبائن): {quietHours}\n3. الرد التلقائي على التقييمات: {stars}\n4. يُرسل طلب التقييم بعد {delay} من الفاتورة\n5. يوم طلب الصور: {photoDay}\n6. يوم منشور جوجل: {postDay}',
  'owner.settings.value.running': 'تعمل',
  'owner.settings.value.paused': 'موقوفة مؤقتاً',
  'owner.settings.value.off': 'متوقف',
  'owner.settings.value.starsFrom': `للتقييمات من ${isolateLtr('{stars}')} نجوم فأكثر`,
  'owner.settings.value.starsNone': 'لا شيء (كل التقييمات تصل إليك)',
  'owner.settings.ask.quietHours': 'ساعات الهدوء الآن: {current}.\nاكتب ساعات جديدة، مثلاً 22:00-07:00، أو «إيقاف» لإلغائها.',
  'owner.settings.ask.autoReplyMinStars':
    'الرد التلقائي الآن: {current}.\nمن كم نجمة فأكثر نرد تلقائياً؟ اكتب رقماً من 1 إلى 5، أو «لا شيء».',
  'owner.settings.ask.reviewRequestDelay': 'يُرسل طلب التقييم الآن بعد {current} من الفاتورة.\nكم ننتظر؟ مثلاً «3 ساعات» أو «يومين» (2d).',
  'owner.settings.ask.photoRequestDay': 'يوم طلب الصور الآن: {current}.\nاكتب يوماً من الأسبوع، مثلاً «الثلاثاء»، أو «إيقاف».',
  'owner.settings.ask.postDay': 'يوم منشور جوجل الآن: {current}.\nاكتب يوماً من الأسبوع، مثلاً «الخميس»، أو «إيقاف».',
  'owner.settings.example.quietHours': 'لم نفهم الساعات، ولم يتغير شيء. اكتب مثلاً 22:00-07:00، أو «إيقاف».',
  'owner.settings.example.autoReplyMinStars': 'لم نفهم، ولم يتغير شيء. اكتب مثلاً 4 (تقييمات 4 و5 نجوم)، أو «لا شيء».',
  'owner.settings.example.reviewRequestDelay': 'لم نفهم، ولم يتغير شيء. اكتب مثلاً «3 ساعات» أو «يوم» أو 24h.',
  'owner.settings.example.photoRequestDay': 'لم نفهم اليوم، ولم يتغير شيء. اكتب مثلاً «الثلاثاء»، أو «إيقاف».',
  'owner.settings.example.postDay': 'لم نفهم اليوم، ولم يتغير شيء. اكتب مثلاً «الخميس»، أو «إيقاف».',
  'owner.settings.changed': '✅ تم التحديث. إعداداتك الآن:\n{lines}\n\nلتغيير إعداد آخر، أرسل «إعدادات».',
  'words.seconds': `${isolateLtr('{n}')} ثوانٍ`,
  'words.minutes': `${isolateLtr('{n}')} دقائق`,
  'words.hours': `${isolateLtr('{n}')} ساعات`,
  'words.days': `${isolateLtr('{n}')} أيام`,
  'day.sun': 'الأحد',
  'day.mon': 'الاثنين',
  'day.tue': 'الثلاثاء',
  'day.wed': 'الأربعاء',
  'day.thu': 'الخميس',
  'day.fri': 'الجمعة',
  'day.sat': 'السبت',
  'day.off': 'متوقف',

  // Reviews and today's activity
  'owner.reviews.list': '⭐ آخر تقييماتك على جوجل:\n{list}',
  'owner.reviews.none': 'لا توجد تقييمات على جوجل بعد. سنخبرك هنا فور وصول تقييم جديد.',
  'owner.reviews.drafts': `📝 مسودات بانتظار ردك: ${isolateLtr('{numbers}')}\nللموافقة، أجب مثلاً «موافق 1».`,
  'owner.reviews.noDrafts': 'لا توجد مسودات بانتظارك.',
  'owner.reviews.state.replied': 'تم الرد',
  'owner.reviews.state.waiting': 'بانتظار ردك',
  'owner.reviews.state.open': 'بلا رد',
  'owner.today': `📅 اليوم حتى الآن:\n• عملاء محتملون جدد: ${isolateLtr('{leads}')}\n• طلبات تقييم أُرسلت: ${isolateLtr('{requests}')}\n• تقييمات جديدة على جوجل: ${isolateLtr('{reviews}')}\n• ردود نُشرت: ${isolateLtr('{replies}')}`,
  // Photos for the Google profile
  'photos.request':
    '📸 حان وقت الصور الجديدة! الصور الحديثة في ملف نشاطك التجاري على جوجل تساعد العملاء على اختيارك.\nأرسل هنا بعض الصور من عمل هذا الأسبوع، وسنرفعها إلى جوجل.\nيمكنك كتابة كلمة واحدة تحت الصورة: خارج، داخل، عمل، فريق أو منتج.',
  'photos.askCategory': `📷 وصلتنا ${isolateLtr('{count}')} صور بلا وصف. ماذا تُظهر؟\n1. خارج المحل\n2. داخل المحل\n3. العمل\n4. الفريق\n5. منتج\n6. أخرى\nأجب برقم. إن لم تُجب، سنرفعها ضمن «أخرى».`,
  'photos.confirmed.none': '📷 لم نرفع صورًا إلى جوجل هذه المرة.',
  'photos.confirmed.one': '✅ رُفعت صورة واحدة إلى ملف نشاطك التجاري على جوجل. شكرًا!',
  'photos.confirmed.many': `✅ رُفعت ${isolateLtr('{count}')} صور إلى ملف نشاطك التجاري على جوجل. شكرًا!`,
  'photos.notUploaded': 'صور لم نرفعها:\n{list}',
  'photos.reason.format': 'الصورة ليست بصيغة يقبلها جوجل: JPG أو PNG فقط.',
  'photos.reason.fileTooSmall': 'الملف صغير جدًا (أقل من 10KB)، على الأرجح نسخة مضغوطة. أرسلها بجودة كاملة.',
  'photos.reason.fileTooLarge': 'الملف كبير جدًا (أكثر من 5MB). أرسلها مرة أخرى كصورة عادية وليس كملف.',
  'photos.reason.tooSmall': 'الصورة صغيرة جدًا: يقبل جوجل الصور بحجم 250×250 بكسل على الأقل.',
  'photos.reason.unreadable': 'لم نتمكن من فتح الصورة. أرسلها مرة أخرى.',
  'photos.reason.googleRefused': 'لم يقبل جوجل الصورة. يمكنك تجربة صورة أخرى.',
  'photos.reason.notConnected': 'ملف نشاطك التجاري على جوجل غير مربوط بعد. أرسل «جوجل» لربطه، ثم أرسل الصورة مرة أخرى.',
  'photos.reasonTimes': `${isolateLtr('{count}')} صور: {reason}`,
  // Weekly Google post (flow F4). The template texts go on Google as they are: no bidi isolates.
  'posts.draft': `📣 مسودة منشور على جوجل (مسودة ${isolateLtr('{number}')}):\n\n{draft}\n\nللنشر: أرسل 1 أو «موافق».\nللتخطي: أرسل 2 أو «تخطي».\nيمكنك أيضاً كتابة نص خاص بك وسننشره بدلاً منها.`,
  'posts.reminder': `⏰ تذكير: منشور جوجل (مسودة ${isolateLtr('{number}')}) ما زال بانتظار موافقتك.\nأرسل 1 للنشر، 2 للتخطي، أو اكتب نصاً خاصاً بك.`,
  'posts.published': '✅ أُرسل المنشور إلى جوجل. تراجع جوجل كل منشور قبل ظهوره في ملفك، وسنخبرك إن حدثت مشكلة.',
  'posts.skipped': '👌 تخطينا المنشور، ولم يُنشر شيء.',
  'posts.failed': '⚠️ لم تقبل جوجل المنشور، لذلك لم يُنشر. لمسودة جديدة، أرسل «منشور».',
  'posts.rejected': '⚠️ رفضت جوجل المنشور الذي أرسلناه لأنه برأيها يخالف قواعد المحتوى، لذلك لا يظهر في ملفك. لمسودة جديدة، أرسل «منشور».',
  'posts.decidedApproved': `ℹ️ تمت الإجابة على المنشور (مسودة ${isolateLtr('{number}')}) من الرقم ${isolateLtr('{owner}')}: تمت الموافقة على نشره في جوجل، لذلك لم تُعتمد إجابتك.`,
  'posts.decidedSkipped': `ℹ️ تمت الإجابة على المنشور (مسودة ${isolateLtr('{number}')}) من الرقم ${isolateLtr('{owner}')}: تقرر تخطيه ولن يُنشر شيء. لم تُعتمد إجابتك.`,
  'posts.notConnected': 'لنشر منشورات على جوجل، يجب أولاً ربط ملف نشاطك التجاري. أرسل «جوجل» وسنربطه معاً.',
  'posts.template.intro': 'أسبوعاً سعيداً من كل فريق {business}! ✨',
  'posts.template.work': 'هذا الأسبوع ساعدنا عملاءنا في {kinds}.',
  'posts.template.reviews': 'وشكراً على تقييماتكم الرائعة في جوجل، فهي تسعدنا كثيراً ⭐',
  'posts.template.holiday': 'بمناسبة {holiday}، نتمنى للجميع عيداً سعيداً!',
  'posts.template.outro': 'تحتاجون إلينا؟ نحن هنا من أجلكم ويسعدنا المساعدة.',
} as const satisfies Catalog;
