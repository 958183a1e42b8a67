import { i18n } from '@lingui/core';

// The SPA's pure modules (money, tips, CSV) speak English in their tests: the messages' own
// English, compiled by Lingui when shown (a test build keeps it in the code).
i18n.loadAndActivate({ locale: 'en', locales: ['en'], messages: {} });
