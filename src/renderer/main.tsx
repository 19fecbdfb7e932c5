import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installClient } from './client';
import { strings } from './strings';
import './app.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const client = installClient();
createRoot(container).render(
  <StrictMode>
    {client ? (
      <App client={client} />
    ) : (
      <div className="fatal" role="alert">
        {strings.noClient}
      </div>
    )}
  </StrictMode>,
);
