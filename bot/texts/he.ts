/**
 * Hebrew texts: the reference catalog. Its keys and `{placeholders}` define the catalog type that
 * `en.ts` and `ar.ts` must match.
 *
 * Voice: a warm, brief small business on WhatsApp. Customers are addressed without gendered verbs
 * where possible ("אפשר לכתוב", "לך"), the owner in the plural imperative that Israeli apps use.
 * Names, phones and free text sit in bidi isolates; links stand alone on their own line.
 */
import { isolate, isolateLtr } from './bidi.ts';

export const he = {
  // WhatsApp template bodies (business-initiated; see TEMPLATE_PARAMETERS for the {{n}} order).
  'template.missedCall': `שלום, כאן ${isolate('{business}')} 👋\nראינו שהתקשרת ולא הספקנו לענות, סליחה על כך.\nאיך אפשר לעזור? אפשר לכתוב לנו כאן, ונחזור אליך בהקדם.`,
  'template.reviewRequest': `היי ${isolate('{name}')}, כאן ${isolate('{business}')}.\nתודה שבחרת בנו! אם יש לך דקה, נשמח מאוד לביקורת קצרה בגוגל:\n{link}\nזה עוזר לנו המון 🙏\nלהסרה מרשימת ההודעות אפשר להשיב "הסר".`,
  'template.reviewReminder': `שלום, כאן ${isolate('{business}')} 🙂\nרק תזכורת קטנה: אם יש לך דקה, נשמח מאוד לביקורת קצרה בגוגל:\n{link}\nתודה רבה!\nלהסרה מרשימת ההודעות אפשר להשיב "הסר".`,
  'template.ownerAlert': `🔔 עדכון חדש על העסק שלך:\n{text}\nאפשר להשיב כאן כדי להמשיך.`,

  // Consent
  'consent.optedOut': 'הוסרת מרשימת ההודעות שלנו, ולא נשלח לך הודעות נוספות. כדי לחזור לקבל הודעות, אפשר לשלוח "התחל" בכל רגע.',
  'consent.optedIn': 'מעולה, חזרת לקבל מאיתנו הודעות. להסרה אפשר לשלוח "הסר" בכל עת.',

  // Lead capture (customer)
  'lead.greeting': `שלום! כאן ${isolate('{business}')} 😊 נשמח לעזור.`,
  'lead.askName': 'כדי שנוכל לחזור אליך, איך קוראים לך?',
  'lead.askNeed': `נעים מאוד, ${isolate('{name}')}! במה אפשר לעזור? אפשר לתאר בכמה מילים.`,
  'lead.askTime': 'ומתי נוח שנחזור אליך? (למשל: היום אחרי 5, מחר בבוקר)',
  'lead.whoAreWe': `כאן העוזר הדיגיטלי של ${isolate('{business}')} 🙂 אוספים כמה פרטים קצרים כדי שנוכל לחזור אליך מהר.`,
  'lead.handoff': `בשמחה. העברנו את הפנייה לצוות של ${isolate('{business}')}, ומישהו יחזור אליך באופן אישי בהקדם.`,
  'lead.thanks': `תודה, ${isolate('{name}')}! קיבלנו את הפרטים, ומישהו מהצוות של ${isolate('{business}')} יחזור אליך בהקדם.`,
  'lead.nudge': 'רק מוודאים שההודעה הגיעה 🙂 אפשר להמשיך מאיפה שעצרנו, מתי שנוח לך.',
  'lead.closed': 'סגרנו את הפנייה בינתיים. בכל שאלה אפשר לכתוב לנו כאן שוב 🙂',

  // Review requests (customer)
  'reviewRequest.customerFallbackName': 'לקוח יקר',
  'reviewRequest.replyThanks': `תודה על התגובה! העברנו אותה לצוות של ${isolate('{business}')}, ויחזרו אליך אם צריך.`,

  // Owner
  'owner.newLead': `🆕 ליד חדש: {summary}\n\nשם: ${isolate('{name}')}\nמה צריך: ${isolate('{need}')}\nמתי נוח: ${isolate('{time}')}\nטלפון: ${isolateLtr('{phone}')}`,
  'owner.partialLead': `📝 פנייה שלא הושלמה\nטלפון: ${isolateLtr('{phone}')}\nהלקוח הפסיק לענות באמצע. מה שהספקנו לקבל:\n{details}`,
  'owner.handoff': `🙋 לקוח ביקש לדבר עם מישהו מהעסק\nשם: ${isolate('{name}')}\nטלפון: ${isolateLtr('{phone}')}\nכדאי לחזור אליו בהקדם.`,
  'owner.button.callingBack': 'אחזור ללקוח',
  'owner.button.done': 'טופל',
  'owner.leadStatusUpdated': `✅ עודכן: ${isolate('{status}')}`,
  'owner.leadStatus.callingBack': 'חוזרים ללקוח',
  'owner.leadStatus.done': 'טופל',
  'owner.customerReply': `💬 הגיעה תשובה מלקוח\nשם: ${isolate('{name}')}\nטלפון: ${isolateLtr('{phone}')}\n\n{text}`,
  'owner.reviewDraft': `⭐ ביקורת חדשה בגוגל (טיוטה ${isolateLtr('{number}')})\nמאת: ${isolate('{reviewer}')}\nדירוג: ${isolateLtr('{stars}')} מתוך 5\n{comment}\n\nהצעה לתשובה:\n{draft}\n\nלפרסום: השיבו 1 או "אשר".\nלדילוג: השיבו 2 או "דלג".\nאפשר גם לכתוב תשובה משלכם, ונפרסם אותה במקום ההצעה.`,
  'owner.button.approve': 'אשר ופרסם',
  'owner.button.skip': 'דלג',
  'owner.reviewPosted': `✅ התשובה לביקורת של ${isolate('{reviewer}')} פורסמה בגוגל.`,
  'owner.reviewSkipped': `👌 דילגנו על הביקורת של ${isolate('{reviewer}')}, ולא פורסמה תשובה.`,
  'owner.reviewAutoPosted': `⭐ ביקורת חדשה בגוגל מאת ${isolate('{reviewer}')} (${isolateLtr('{stars}')} מתוך 5).\nפרסמנו תשובה אוטומטית:\n{reply}`,
  'owner.draftReminder': `⏰ תזכורת: הביקורת של ${isolate('{reviewer}')} (טיוטה ${isolateLtr('{number}')}) עדיין מחכה לתשובה.\nהשיבו 1 לפרסום, 2 לדילוג, או כתבו תשובה משלכם.`,
  'owner.draftDecidedApproved': `ℹ️ על הביקורת של ${isolate('{reviewer}')} (טיוטה ${isolateLtr('{number}')}) כבר ענו מהמספר ${isolateLtr('{owner}')}: התשובה אושרה לפרסום בגוגל, ולכן התשובה שלכם לא נקלטה.`,
  'owner.draftDecidedSkipped': `ℹ️ על הביקורת של ${isolate('{reviewer}')} (טיוטה ${isolateLtr('{number}')}) כבר ענו מהמספר ${isolateLtr('{owner}')}: הוחלט לדלג, ולא תפורסם תשובה. התשובה שלכם לא נקלטה.`,
  'owner.whichDraft': `יש כמה טיוטות שמחכות לתשובה (${isolateLtr('{numbers}')}). לאיזו מהן הכוונה?\nהשיבו ישירות על הודעת הטיוטה, או הוסיפו את מספר הטיוטה, למשל "אשר 3".`,
  'owner.replyRejected': `⚠️ גוגל לא קיבל את התשובה לביקורת של ${isolate('{reviewer}')}, ולכן היא לא פורסמה. אפשר לשלוח נוסח אחר, קצר יותר.`,
  'owner.googleDisconnected':
    '⚠️ החיבור לפרופיל העסק בגוגל התנתק, ולכן לא נראה ביקורות חדשות ולא נוכל לפרסם תשובות. כדי לחבר אותו מחדש, שלחו "גוגל".',
  'owner.help':
    '👋 מה אפשר לעשות מכאן:\n• לידים – הפניות האחרונות\n• ביקורות – הביקורות האחרונות והטיוטות שמחכות לכם\n• מה חדש – מה קרה היום\n• סטטיסטיקה – המספרים של השבוע\n• השהה – עצירת ההודעות האוטומטיות ללקוחות\n• המשך – הפעלה מחדש של ההודעות\n• הגדרות – שינוי ההגדרות\n• גוגל – חיבור פרופיל העסק בגוגל\n• פוסט – טיוטה לפוסט בגוגל עכשיו\n• 📸 תמונה – כל תמונה שתשלחו לכאן תעלה לפרופיל העסק בגוגל\n• עזרה – התפריט הזה\n\nעל טיוטה (תשובה לביקורת או פוסט): 1 או "אשר" לפרסום, 2 או "דלג" לדילוג, או כתבו נוסח משלכם.',
  'owner.paused': '⏸️ ההודעות האוטומטיות ללקוחות הושהו. כדי להפעיל אותן שוב, שלחו "המשך".',
  'owner.resumed': '▶️ ההודעות האוטומטיות ללקוחות פועלות שוב.',
  'owner.unknownCommand': 'לא הבנתי 🤔 שלחו "עזרה" כדי לראות מה אפשר לעשות.',
  'owner.unknownValue': 'לא צוין',
  'owner.noLeads': 'אין עדיין לידים. ברגע שיגיע ליד חדש, נעדכן כאן.',
  'owner.leadsList': '📋 הלידים האחרונים:\n{list}',
  'owner.stats': `📊 המספרים של השבוע:\n• לידים חדשים: ${isolateLtr('{leads}')}\n• בקשות לביקורת שנשלחו: ${isolateLtr('{requests}')}\n• ביקורות חדשות בגוגל: ${isolateLtr('{reviews}')}\n• תשובות שפורסמו: ${isolateLtr('{replies}')}`,

  // Fallback texts when no AI is available
  'reviewReply.positive': `תודה רבה, ${isolate('{reviewer}')}, על המילים החמות! שמחנו מאוד לקרוא, ומחכים לראות אותך שוב.\nצוות ${isolate('{business}')}`,
  'reviewReply.neutral': `תודה, ${isolate('{reviewer}')}, שהקדשת זמן לכתוב לנו. חשוב לנו להשתפר, ונשמח לשמוע מה היה אפשר לעשות טוב יותר.\nצוות ${isolate('{business}')}`,
  'reviewReply.negative': `${isolate('{reviewer}')}, צר לנו מאוד שהחוויה לא הייתה כמו שציפית. חשוב לנו להבין מה קרה ולתקן, ונשמח לדבר איתך ישירות.\nצוות ${isolate('{business}')}`,
  'lead.summary': `${isolate('{name}')} · ${isolate('{need}')} · זמן נוח: ${isolate('{time}')}`,

  // Welcome (template, once per owner phone)
  'template.ownerWelcome': `ברוכים הבאים ל-Findo! 👋 מעכשיו אנחנו עוזרים ל${isolate('{business}')} כאן בוואטסאפ:\n• חוזרים ללקוחות ששיחה שלהם לא נענתה, ושולחים לכם את הפרטים\n• מבקשים מלקוחות מרוצים ביקורת בגוגל\n• עונים לביקורות בגוגל, ושואלים אתכם לפני כל תשובה רגישה\nשלחו "עזרה" כדי לראות את התפריט, ו"גוגל" כדי לחבר את פרופיל העסק בגוגל.`,

  // Connecting Google from the chat
  'owner.google.link': '🔗 כדי לחבר את פרופיל העסק בגוגל, פתחו את הקישור ואשרו את הגישה:\n{link}\nהקישור אישי, פועל פעם אחת ותקף לחצי שעה.',
  'owner.google.unavailable': 'החיבור לגוגל עוד לא זמין מכאן. פנו אלינו ונחבר אותו יחד.',
  'owner.google.connected': `✅ פרופיל העסק בגוגל מחובר: ${isolate('{title}')}\nמעכשיו נענה לביקורות חדשות ונעדכן אתכם כאן.`,
  'owner.google.pickLocation': '✅ חשבון הגוגל מחובר. באיזה עסק מדובר?\n{list}\nהשיבו במספר.',
  'owner.google.pickInvalid': `לא מצאנו את המספר הזה ברשימה. השיבו במספר בין 1 ל-${isolateLtr('{max}')}.`,
  'owner.google.noLocations':
    'חשבון הגוגל מחובר, אבל לא מצאנו בו פרופיל עסק. אם העסק רשום בחשבון אחר, שלחו "גוגל" והתחברו עם החשבון הנכון.',
  'owner.google.denied': 'לא אישרתם גישה בגוגל, ולכן לא חיברנו דבר. כדי לנסות שוב, שלחו "גוגל".',
  'owner.google.expired': 'הקישור לחיבור גוגל פג תוקף. לקישור חדש, שלחו "גוגל".',
  'owner.google.failed': 'גוגל לא השלים את החיבור, ולכן לא חיברנו דבר. לקישור חדש, שלחו "גוגל".',
  'page.google.connected': 'מחובר!\nאפשר לחזור לוואטסאפ.',
  'page.google.denied': 'לא ניתנה גישה, ולא חיברנו דבר.\nאפשר לחזור לוואטסאפ ולשלוח "גוגל" כדי לנסות שוב.',
  'page.google.expired': 'הקישור פג תוקף או שכבר השתמשו בו.\nשלחו "גוגל" בוואטסאפ כדי לקבל קישור חדש.',
  'page.google.invalid': 'הקישור לא תקין.\nשלחו "גוגל" בוואטסאפ כדי לקבל קישור חדש.',
  'page.google.failed': 'גוגל לא השלים את החיבור, ולא שינינו דבר.\nשלחו "גוגל" בוואטסאפ כדי לקבל קישור חדש.',

  // Settings by chat
  'owner.settings.menu': '⚙️ ההגדרות שלכם:\n{lines}\n\nכדי לשנות, השיבו במספר.',
  'owner.settings.lines':
    '1. הודעות אוטומטיות ללקוחות: {paused}\n2. שעות שקטות (בלי הודעות ללקוחות): {quietHours}\n3. תשובה אוטומטית לביקורות: {stars}\n4. בקשת ביקורת נשלחת {delay} אחרי החשבונית\n5. יום בקשת תמונות: {photoDay}\n6. יום פוסט בגוגל: {postDay}',
  'owner.settings.value.running': 'פועלות',
  'owner.settings.value.paused': 'מושהות',
  'owner.settings.value.off': 'כבוי',
  'owner.settings.value.starsFrom': `לביקורות של ${isolateLtr('{stars}')} כוכבים ומעלה`,
  'owner.settings.value.starsNone': 'אף ביקורת (כל הביקורות מגיעות אליכם)',
  'owner.settings.ask.quietHours': 'שעות שקטות כרגע: {current}.\nכתבו שעות חדשות, למשל 22:00-07:00, או "כבוי" כדי לבטל.',
  'owner.settings.ask.autoReplyMinStars':
    'תשובה אוטומטית כרגע: {current}.\nמכמה כוכבים ומעלה לענות אוטומטית? כתבו מספר בין 1 ל-5, או "אף אחת".',
  'owner.settings.ask.reviewRequestDelay':
    'כרגע בקשת הביקורת נשלחת {current} אחרי החשבונית.\nכמה זמן לחכות? למשל "3 שעות" או "יומיים" (2d).',
  'owner.settings.ask.photoRequestDay': 'יום בקשת התמונות כרגע: {current}.\nכתבו יום בשבוע, למשל "שלישי", או "כבוי".',
  'owner.settings.ask.postDay': 'יום הפוסט בגוגל כרגע: {current}.\nכתבו יום בשבוע, למשל "חמישי", או "כבוי".',
  'owner.settings.example.quietHours': 'לא הצלחנו להבין את השעות, ולא שינינו דבר. כתבו למשל 22:00-07:00, או "כבוי".',
  'owner.settings.example.autoReplyMinStars': 'לא הצלחנו להבין, ולא שינינו דבר. כתבו למשל 4 (ביקורות של 4 ו-5 כוכבים), או "אף אחת".',
  'owner.settings.example.reviewRequestDelay': 'לא הצלחנו להבין, ולא שינינו דבר. כתבו למשל "3 שעות", "יום" או 24h.',
  'owner.settings.example.photoRequestDay': 'לא הצלחנו להבין את היום, ולא שינינו דבר. כתבו למשל "שלישי", או "כבוי".',
  'owner.settings.example.postDay': 'לא הצלחנו להבין את היום, ולא שינינו דבר. כתבו למשל "חמישי", או "כבוי".',
  'owner.settings.changed': '✅ עודכן. ההגדרות עכשיו:\n{lines}\n\nלשינוי נוסף, שלחו "הגדרות".',
  'words.seconds': `${isolateLtr('{n}')} שניות`,
  'words.minutes': `${isolateLtr('{n}')} דקות`,
  'words.hours': `${isolateLtr('{n}')} שעות`,
  'words.days': `${isolateLtr('{n}')} ימים`,
  'day.sun': 'ראשון',
  'day.mon': 'שני',
  'day.tue': 'שלישי',
  'day.wed': 'רביעי',
  'day.thu': 'חמישי',
  'day.fri': 'שישי',
  'day.sat': 'שבת',
  'day.off': 'כבוי',

  // Reviews and today's activity
  'owner.reviews.list': '⭐ הביקורות האחרונות בגוגל:\n{list}',
  'owner.reviews.none': 'עוד אין ביקורות בגוגל. ברגע שתגיע ביקורת חדשה, נעדכן כאן.',
  'owner.reviews.drafts': `📝 טיוטות שמחכות לתשובה שלכם: ${isolateLtr('{numbers}')}\nכדי לאשר, השיבו למשל "אשר 1".`,
  'owner.reviews.noDrafts': 'אין טיוטות שמחכות לתשובה.',
  'owner.reviews.state.replied': 'נענתה',
  'owner.reviews.state.waiting': 'מחכה לתשובה שלכם',
  'owner.reviews.state.open': 'בלי תשובה',
  'owner.today': `📅 היום עד עכשיו:\n• לידים חדשים: ${isolateLtr('{leads}')}\n• בקשות לביקורת שנשלחו: ${isolateLtr('{requests}')}\n• ביקורות חדשות בגוגל: ${isolateLtr('{reviews}')}\n• תשובות שפורסמו: ${isolateLtr('{replies}')}`,
  // Photos for the Google profile
  'photos.request':
    '📸 הגיע הזמן לתמונות חדשות! תמונות עדכניות בפרופיל העסק בגוגל עוזרות ללקוחות לבחור בכם.\nשלחו לכאן כמה תמונות מהעבודה של השבוע, ואנחנו נעלה אותן לגוגל.\nאפשר לכתוב מתחת לתמונה מילה אחת: חוץ, פנים, עבודה, צוות או מוצר.',
  'photos.askCategory': `📷 קיבלנו ${isolateLtr('{count}')} תמונות בלי תיאור. מה רואים בהן?\n1. חוץ העסק\n2. פנים העסק\n3. עבודה\n4. הצוות\n5. מוצר\n6. אחר\nהשיבו במספר. אם לא תענו, נעלה אותן בתור "אחר".`,
  'photos.confirmed.none': '📷 לא העלינו הפעם תמונות לגוגל.',
  'photos.confirmed.one': '✅ תמונה אחת עלתה לפרופיל העסק בגוגל. תודה!',
  'photos.confirmed.many': `✅ ${isolateLtr('{count}')} תמונות עלו לפרופיל העסק בגוגל. תודה!`,
  'photos.notUploaded': 'תמונות שלא העלינו:\n{list}',
  'photos.reason.format': 'התמונה לא בפורמט שגוגל מקבל: רק JPG או PNG.',
  'photos.reason.fileTooSmall': 'הקובץ קטן מדי (פחות מ-10KB), כנראה תמונה מכווצת. נסו לשלוח אותה באיכות מלאה.',
  'photos.reason.fileTooLarge': 'הקובץ גדול מדי (יותר מ-5MB). נסו לשלוח אותה שוב, כתמונה רגילה ולא כקובץ.',
  'photos.reason.tooSmall': 'התמונה קטנה מדי: גוגל מקבל תמונות של 250×250 פיקסלים לפחות.',
  'photos.reason.unreadable': 'לא הצלחנו לפתוח את התמונה. נסו לשלוח אותה שוב.',
  'photos.reason.googleRefused': 'גוגל לא קיבל את התמונה. אפשר לנסות תמונה אחרת.',
  'photos.reason.notConnected': 'פרופיל העסק בגוגל עדיין לא מחובר. כדי לחבר אותו, שלחו "גוגל", ואז שלחו את התמונה שוב.',
  'photos.reasonTimes': `${isolateLtr('{count}')} תמונות: {reason}`,
  // Weekly Google post (flow F4). The template texts go on Google as they are: no bidi isolates.
  'posts.draft': `📣 טיוטה לפוסט בגוגל (טיוטה ${isolateLtr('{number}')}):\n\n{draft}\n\nלפרסום: השיבו 1 או "אשר".\nלדילוג: השיבו 2 או "דלג".\nאפשר גם לכתוב נוסח משלכם, ונפרסם אותו במקום.`,
  'posts.reminder': `⏰ תזכורת: הפוסט לגוגל (טיוטה ${isolateLtr('{number}')}) עדיין מחכה לאישור שלכם.\nהשיבו 1 לפרסום, 2 לדילוג, או כתבו נוסח משלכם.`,
  'posts.published': '✅ הפוסט נשלח לגוגל. גוגל בודקים כל פוסט לפני שהוא מופיע בפרופיל, ונעדכן אם תהיה בעיה.',
  'posts.skipped': '👌 דילגנו על הפוסט, ולא פורסם דבר.',
  'posts.failed': '⚠️ גוגל לא קיבל את הפוסט, ולכן הוא לא פורסם. לטיוטה חדשה, שלחו "פוסט".',
  'posts.rejected':
    '⚠️ גוגל דחה את הפוסט ששלחנו, כי לדעתם הוא לא עומד בכללי התוכן שלהם, ולכן הוא לא מופיע בפרופיל. לטיוטה חדשה, שלחו "פוסט".',
  'posts.decidedApproved': `ℹ️ על הפוסט (טיוטה ${isolateLtr('{number}')}) כבר ענו מהמספר ${isolateLtr('{owner}')}: הוא אושר לפרסום בגוגל, ולכן התשובה שלכם לא נקלטה.`,
  'posts.decidedSkipped': `ℹ️ על הפוסט (טיוטה ${isolateLtr('{number}')}) כבר ענו מהמספר ${isolateLtr('{owner}')}: הוחלט לדלג, ולא יפורסם דבר. התשובה שלכם לא נקלטה.`,
  'posts.notConnected': 'כדי לפרסם פוסטים בגוגל, צריך קודם לחבר את פרופיל העסק. שלחו "גוגל" ונחבר אותו יחד.',
  'posts.template.intro': 'שבוע טוב מכל הצוות של {business}! ✨',
  'posts.template.work': 'השבוע עזרנו ללקוחות שלנו עם {kinds}.',
  'posts.template.reviews': 'ותודה על הביקורות החמות בגוגל, הן משמחות אותנו מאוד ⭐',
  'posts.template.holiday': 'לקראת {holiday}, מאחלים לכולם חג שמח!',
  'posts.template.outro': 'צריכים אותנו? אנחנו כאן בשבילכם ונשמח לעזור.',
} as const;
