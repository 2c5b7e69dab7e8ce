/** English texts. Same keys and placeholders as the Hebrew reference catalog (checked in `index.ts`). */
import type { Catalog } from './index.ts';

export const en = {
  // WhatsApp template bodies
  'template.missedCall':
    'Hi, this is {business} 👋\nWe saw you called and couldn’t pick up, sorry about that.\nHow can we help? Just write to us here and we’ll get back to you soon.',
  'template.reviewRequest':
    'Hi {name}, this is {business}.\nThanks for choosing us! If you have a minute, we’d really appreciate a short Google review:\n{link}\nIt helps us a lot 🙏\nTo stop these messages, reply STOP.',
  'template.reviewReminder':
    'Hi, this is {business} 🙂\nJust a gentle reminder: if you have a minute, we’d love a short Google review:\n{link}\nThank you!\nTo stop these messages, reply STOP.',
  'template.ownerAlert': '🔔 New update about your business:\n{text}\nReply here to continue.',

  // Consent
  'consent.optedOut': 'You’ve been unsubscribed and won’t get any more messages from us. To get messages again, send START at any time.',
  'consent.optedIn': 'Great, you’ll get messages from us again. To unsubscribe, send STOP at any time.',

  // Lead capture (customer)
  'lead.greeting': 'Hi! This is {business} 😊 Happy to help.',
  'lead.askName': 'So we can get back to you, what’s your name?',
  'lead.askNeed': 'Nice to meet you, {name}! How can we help? A few words are enough.',
  'lead.askTime': 'And when would suit you for us to get back to you? (e.g. today after 5, tomorrow morning)',
  'lead.whoAreWe': 'This is the digital assistant of {business} 🙂 We’re taking a few quick details so we can get back to you fast.',
  'lead.handoff': 'Sure. We’ve passed your message on to the {business} team, and someone will get back to you personally soon.',
  'lead.thanks': 'Thanks, {name}! We’ve got your details, and someone from the {business} team will get back to you soon.',
  'lead.nudge': 'Just checking our message reached you 🙂 We can pick up where we left off whenever suits you.',
  'lead.closed': 'We’ve closed this request for now. If you have any question, just write to us here again 🙂',

  // Review requests (customer)
  'reviewRequest.customerFallbackName': 'there',
  'reviewRequest.replyThanks': 'Thanks for your reply! We’ve passed it on to the {business} team, and they’ll get back to you if needed.',

  // Owner
  'owner.newLead': '🆕 New lead: {summary}\n\nName: {name}\nNeeds: {need}\nBest time: {time}\nPhone: {phone}',
  'owner.partialLead': '📝 Unfinished enquiry\nPhone: {phone}\nThe customer stopped replying midway. What we got:\n{details}',
  'owner.handoff': '🙋 A customer asked to talk to someone from the business\nName: {name}\nPhone: {phone}\nBest to get back to them soon.',
  'owner.button.callingBack': 'I’ll call back',
  'owner.button.done': 'Done',
  'owner.leadStatusUpdated': '✅ Updated: {status}',
  'owner.leadStatus.callingBack': 'Calling back',
  'owner.leadStatus.done': 'Done',
  'owner.customerReply': '💬 A customer replied\nName: {name}\nPhone: {phone}\n\n{text}',
  'owner.reviewDraft':
    '⭐ New Google review (draft {number})\nFrom: {reviewer}\nRating: {stars} of 5\n{comment}\n\nSuggested reply:\n{draft}\n\nTo post it: reply 1 or "approve".\nTo skip: reply 2 or "skip".\nOr write your own reply, and we’ll post that instead.',
  'owner.button.approve': 'Approve & post',
  'owner.button.skip': 'Skip',
  'owner.reviewPosted': '✅ Your reply to {reviewer}’s review is now on Google.',
  'owner.reviewSkipped': '👌 Skipped {reviewer}’s review; no reply was posted.',
  'owner.reviewAutoPosted': '⭐ New Google review from {reviewer} ({stars} of 5).\nWe posted this reply automatically:\n{reply}',
  'owner.draftReminder':
    '⏰ Reminder: {reviewer}’s review (draft {number}) is still waiting for a reply.\nReply 1 to post, 2 to skip, or write your own reply.',
  'owner.draftDecidedApproved':
    'ℹ️ {reviewer}’s review (draft {number}) was already answered from {owner}: the reply was approved for Google, so your answer was not used.',
  'owner.draftDecidedSkipped':
    'ℹ️ {reviewer}’s review (draft {number}) was already answered from {owner}: it was skipped and no reply will be posted, so your answer was not used.',
  'owner.whichDraft':
    'Several drafts are waiting ({numbers}). Which one do you mean?\nReply directly to the draft’s message, or add its number, e.g. "approve 3".',
  'owner.replyRejected':
    '⚠️ Google did not accept the reply to {reviewer}’s review, so it was not posted. You can send a different, shorter wording.',
  'owner.googleDisconnected':
    '⚠️ The connection to your Google Business Profile was lost, so we can’t see new reviews or post replies. To reconnect it, send "google".',
  'owner.help':
    '👋 What you can do here:\n• leads – recent enquiries\n• reviews – latest reviews and drafts waiting for you\n• what\'s new – what happened today\n• stats – this week’s numbers\n• pause – stop automatic messages to customers\n• resume – turn them back on\n• settings – change your settings\n• google – connect your Google Business Profile\n• post – a draft Google post now\n• 📸 a photo – every photo you send here goes up to your Google profile\n• help – this menu\n\nOn a draft (review reply or post): 1 or "approve" to publish, 2 or "skip" to skip, or write your own text.',
  'owner.paused': '⏸️ Automatic messages to customers are paused. Send "resume" to turn them back on.',
  'owner.resumed': '▶️ Automatic messages to customers are back on.',
  'owner.unknownCommand': 'Sorry, I didn’t get that 🤔 Send "help" to see what you can do.',
  'owner.unknownValue': 'not given',
  'owner.noLeads': 'No leads yet. We’ll let you know here as soon as one comes in.',
  'owner.leadsList': '📋 Recent leads:\n{list}',
  'owner.stats':
    '📊 This week’s numbers:\n• New leads: {leads}\n• Review requests sent: {requests}\n• New Google reviews: {reviews}\n• Replies posted: {replies}',

  // Fallback texts when no AI is available
  'reviewReply.positive':
    'Thank you so much, {reviewer}, for the kind words! We’re really glad to hear it and look forward to seeing you again.\nThe {business} team',
  'reviewReply.neutral':
    'Thank you, {reviewer}, for taking the time to write. We always want to improve, and we’d love to hear what we could do better.\nThe {business} team',
  'reviewReply.negative':
    '{reviewer}, we’re very sorry your experience wasn’t what you expected. We want to understand what happened and put it right, and we’d be glad to talk with you directly.\nThe {business} team',
  'lead.summary': '{name} · {need} · best time: {time}',

  // Welcome (template, once per owner phone)
  'template.ownerWelcome':
    'Welcome to Findo! 👋 From now on we help {business} here on WhatsApp:\n• we get back to callers you missed and send you their details\n• we ask happy customers for a Google review\n• we answer Google reviews, and ask you before any sensitive reply\nSend "help" to see the menu, and "google" to connect your Google Business Profile.',

  // Connecting Google from the chat
  'owner.google.link':
    '🔗 To connect your Google Business Profile, open this link and allow access:\n{link}\nThe link is personal, works once and is valid for 30 minutes.',
  'owner.google.unavailable': 'Connecting Google from here is not available yet. Contact us and we’ll connect it together.',
  'owner.google.connected':
    '✅ Your Google Business Profile is connected: {title}\nFrom now on we answer new reviews and keep you posted here.',
  'owner.google.pickLocation': '✅ Your Google account is connected. Which business is yours?\n{list}\nReply with its number.',
  'owner.google.pickInvalid': 'That number is not on the list. Reply with a number from 1 to {max}.',
  'owner.google.noLocations':
    'Your Google account is connected, but we found no business profile in it. If the business is under another account, send "google" and sign in with that one.',
  'owner.google.denied': 'You did not allow access on Google, so nothing was connected. To try again, send "google".',
  'owner.google.expired': 'The Google link has expired. For a new one, send "google".',
  'owner.google.failed': 'Google did not complete the connection, so nothing was connected. For a new link, send "google".',
  'page.google.connected': 'Connected!\nYou can go back to WhatsApp.',
  'page.google.denied': 'Access was not allowed, and nothing was connected.\nGo back to WhatsApp and send "google" to try again.',
  'page.google.expired': 'This link has expired or was already used.\nSend "google" on WhatsApp to get a new one.',
  'page.google.invalid': 'This link is not valid.\nSend "google" on WhatsApp to get a new one.',
  'page.google.failed': 'Google did not complete the connection, and nothing changed.\nSend "google" on WhatsApp to get a new link.',

  // Settings by chat
  'owner.settings.menu': '⚙️ Your settings:\n{lines}\n\nTo change one, reply with its number.',
  'owner.settings.lines':
    '1. Automatic messages to customers: {paused}\n2. Quiet hours (no customer messages): {quietHours}\n3. Automatic replies to reviews: {stars}\n4. Review requests go out {delay} after the invoice\n5. Photo request day: {photoDay}\n6. Google post day: {postDay}',
  'owner.settings.value.running': 'on',
  'owner.settings.value.paused': 'paused',
  'owner.settings.value.off': 'off',
  'owner.settings.value.starsFrom': 'for reviews of {stars} stars and up',
  'owner.settings.value.starsNone': 'none (every review comes to you)',
  'owner.settings.ask.quietHours': 'Quiet hours now: {current}.\nWrite new hours, e.g. 22:00-07:00, or "off" to turn them off.',
  'owner.settings.ask.autoReplyMinStars':
    'Automatic replies now: {current}.\nFrom how many stars up should we reply automatically? Write a number from 1 to 5, or "none".',
  'owner.settings.ask.reviewRequestDelay':
    'Review requests now go out {current} after the invoice.\nHow long should we wait? E.g. "3 hours" or "2 days" (2d).',
  'owner.settings.ask.photoRequestDay': 'Photo request day now: {current}.\nWrite a weekday, e.g. "Tuesday", or "off".',
  'owner.settings.ask.postDay': 'Google post day now: {current}.\nWrite a weekday, e.g. "Thursday", or "off".',
  'owner.settings.example.quietHours': 'We couldn’t read those hours, and nothing changed. Write e.g. 22:00-07:00, or "off".',
  'owner.settings.example.autoReplyMinStars':
    'We couldn’t read that, and nothing changed. Write e.g. 4 (reviews of 4 and 5 stars), or "none".',
  'owner.settings.example.reviewRequestDelay': 'We couldn’t read that, and nothing changed. Write e.g. "3 hours", "1 day" or 24h.',
  'owner.settings.example.photoRequestDay': 'We couldn’t read that day, and nothing changed. Write e.g. "Tuesday", or "off".',
  'owner.settings.example.postDay': 'We couldn’t read that day, and nothing changed. Write e.g. "Thursday", or "off".',
  'owner.settings.changed': '✅ Updated. Your settings now:\n{lines}\n\nTo change another, send "settings".',
  'words.seconds': '{n} seconds',
  'words.minutes': '{n} minutes',
  'words.hours': '{n} hours',
  'words.days': '{n} days',
  'day.sun': 'Sunday',
  'day.mon': 'Monday',
  'day.tue': 'Tuesday',
  'day.wed': 'Wednesday',
  'day.thu': 'Thursday',
  'day.fri': 'Friday',
  'day.sat': 'Saturday',
  'day.off': 'off',

  // Reviews and today's activity
  'owner.reviews.list': '⭐ Your latest Google reviews:\n{list}',
  'owner.reviews.none': 'No Google reviews yet. We’ll tell you here as soon as one comes in.',
  'owner.reviews.drafts': '📝 Drafts waiting for your answer: {numbers}\nTo approve one, reply e.g. "approve 1".',
  'owner.reviews.noDrafts': 'No drafts are waiting for you.',
  'owner.reviews.state.replied': 'answered',
  'owner.reviews.state.waiting': 'waiting for you',
  'owner.reviews.state.open': 'not answered',
  'owner.today':
    '📅 Today so far:\n• New leads: {leads}\n• Review requests sent: {requests}\n• New Google reviews: {reviews}\n• Replies posted: {replies}',
  // Photos for the Google profile
  'photos.request':
    '📸 Time for fresh photos! Recent photos on your Google Business Profile help customers choose you.\nSend a few photos of this week’s work here, and we’ll upload them to Google.\nYou can add one word under a photo: outside, inside, work, team or product.',
  'photos.askCategory':
    '📷 We got {count} photos without a description. What do they show?\n1. Outside the business\n2. Inside the business\n3. Work\n4. The team\n5. A product\n6. Other\nReply with a number. If you don’t answer, we’ll upload them as "other".',
  'photos.confirmed.none': '📷 No photos went up to Google this time.',
  'photos.confirmed.one': '✅ One photo is now on your Google Business Profile. Thank you!',
  'photos.confirmed.many': '✅ {count} photos are now on your Google Business Profile. Thank you!',
  'photos.notUploaded': 'Photos we did not upload:\n{list}',
  'photos.reason.format': 'The image is not in a format Google accepts: only JPG or PNG.',
  'photos.reason.fileTooSmall': 'The file is too small (under 10 KB), probably a compressed copy. Try sending it in full quality.',
  'photos.reason.fileTooLarge': 'The file is too large (over 5 MB). Try sending it again as a regular photo, not as a file.',
  'photos.reason.tooSmall': 'The photo is too small: Google takes photos of at least 250×250 pixels.',
  'photos.reason.unreadable': 'We could not open the image. Try sending it again.',
  'photos.reason.googleRefused': 'Google did not accept the photo. You can try another one.',
  'photos.reason.notConnected':
    'Your Google Business Profile is not connected yet. Send "google" to connect it, then send the photo again.',
  'photos.reasonTimes': '{count} photos: {reason}',
  // Weekly Google post (flow F4). The template texts go on Google as they are.
  'posts.draft':
    '📣 Draft Google post (draft {number}):\n\n{draft}\n\nTo publish: reply 1 or "approve".\nTo skip: reply 2 or "skip".\nYou can also write your own text and we will publish it instead.',
  'posts.reminder':
    '⏰ Reminder: the Google post (draft {number}) is still waiting for you.\nReply 1 to publish, 2 to skip, or write your own text.',
  'posts.published':
    '✅ The post was sent to Google. Google reviews every post before it shows on your profile; we will tell you if there is a problem.',
  'posts.skipped': '👌 We skipped the post; nothing was published.',
  'posts.failed': '⚠️ Google did not accept the post, so it was not published. Send "post" for a new draft.',
  'posts.rejected':
    '⚠️ Google rejected the post we sent, saying it breaks their content rules, so it does not show on your profile. Send "post" for a new draft.',
  'posts.decidedApproved':
    'ℹ️ The post (draft {number}) was already answered from {owner}: it was approved for Google, so your answer was not used.',
  'posts.decidedSkipped':
    'ℹ️ The post (draft {number}) was already answered from {owner}: it was skipped and nothing will be published. Your answer was not used.',
  'posts.notConnected': 'To publish posts on Google, first connect your Business Profile. Send "google" and we will connect it together.',
  'posts.template.intro': 'Have a great week from everyone at {business}! ✨',
  'posts.template.work': 'This week we helped our customers with {kinds}.',
  'posts.template.reviews': 'And thank you for the kind Google reviews, they make our day ⭐',
  'posts.template.holiday': 'Wishing everyone a happy {holiday}!',
  'posts.template.outro': 'Need us? We are here for you and happy to help.',
} as const satisfies Catalog;
