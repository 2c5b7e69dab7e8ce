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
  'owner.googleDisconnected': '⚠️ החיבור לפרופיל העסק בגוגל התנתק, ולכן לא נראה ביקורות חדשות ולא נוכל לפרסם תשובות. כדי לחבר אותו מחדש, פנו אלינו.',
  'owner.help': '👋 מה אפשר לעשות מכאן:\n• לידים – הפניות האחרונות\n• סטטיסטיקה – המספרים של השבוע\n• השהה – עצירת ההודעות האוטומטיות ללקוחות\n• המשך – הפעלה מחדש של ההודעות\n• עזרה – התפריט הזה\n\nעל טיוטת תשובה לביקורת: 1 או "אשר" לפרסום, 2 או "דלג" לדילוג, או כתבו תשובה משלכם.',
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
} as const;
