import { adminLanguage, applyTexts } from './admin-dom.js';
import { dashboardView } from './admin-dashboard.js';
import { loginView } from './admin-login.js';

// The operator's pages: /admin/login (data-view="login") and /admin (the dashboard).
const { language, texts } = adminLanguage();
applyTexts(language, texts);
if (document.body.dataset.view === 'login') await loginView(texts);
else await dashboardView(language, texts);
