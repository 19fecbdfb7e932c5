import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthGate } from './auth/AuthGate';
import { initI18n } from './i18n';
import { detectPlatform } from './platform/platform';
import './app.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const i18n = initI18n();
const platform = detectPlatform();
createRoot(container).render(
  <StrictMode>
    {platform ? (
      <AuthGate platform={platform} />
    ) : (
      <div className="fatal" role="alert">
        {i18n.t('app.noClient')}
      </div>
    )}
  </StrictMode>,
);
